package org.p2pchat.core.tests.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.p2pchat.core.text.DisplayNames;
import org.p2pchat.core.wire.ChatCodec;
import org.p2pchat.core.wire.WireMessage;

/** Hostile display names come out as what they look like, and ordinary ones as they are. */
class DisplayNamesTest {

    @Test
    void aRightToLeftOverrideCannotTurnANameAround() {
        // Shown as "aliceexe.jpg" by a bidi-aware renderer; cleaned, it reads as what it is.
        assertEquals("alicegpj.exe", DisplayNames.clean("alice\u202Egpj.exe"));
    }

    @ParameterizedTest(name = "U+{0}")
    @CsvSource({
        // direction overrides, embeddings, isolates and marks
        "202A", "202B", "202C", "202D", "202E", "2066", "2067", "2068", "2069", "200E", "200F", "061C",
        // zero-width space, non-joiner, joiner, word joiner, invisible operators, byte-order mark, soft hyphen
        "200B", "200C", "200D", "2060", "2061", "2062", "2063", "2064", "FEFF", "00AD",
        // blanks that are letters or marks, tag characters, variation selector of Mongolian, private use
        "3164", "115F", "1160", "FFA0", "2800", "034F", "180E", "E0041", "E007F", "E000", "F8FF",
        // controls
        "0000", "0007", "001B", "007F", "0085", "009B",
    })
    void invisibleFormatAndControlCharactersAreRemoved(String hex) {
        int cp = Integer.parseInt(hex, 16);
        String hidden = new String(Character.toChars(cp));
        assertTrue(DisplayNames.isInvisible(cp) || Character.isWhitespace(cp) || cp == 0x0085, hex);
        assertEquals("bob", DisplayNames.clean("b" + hidden + "ob" + hidden));
        assertEquals("bob", DisplayNames.clean(hidden + "bob"));
    }

    @Test
    void twoNamesThatLookTheSameAreTheSameOnceCleaned() {
        assertEquals(DisplayNames.clean("bob"), DisplayNames.clean("b\u200Bo\u200Db\u2060"));
        // Composed and decomposed accents are one name.
        assertEquals(DisplayNames.clean("Ren\u00e9"), DisplayNames.clean("Rene\u0301"));
    }

    @Test
    void whiteSpaceOfAnyKindBecomesOneSpaceAndNoneIsLeftAtTheEnds() {
        assertEquals("alice smith", DisplayNames.clean("  alice\r\n\t\u00a0\u2003smith\u3000 "));
        assertEquals("a b", DisplayNames.clean("a\u2028b\u2029"));
        assertEquals("", DisplayNames.clean(" \u200B\u202E\t\n"));
        assertEquals("", DisplayNames.clean(null));
    }

    @Test
    void pilesOfCombiningMarksAreCutAndAMarkOnNothingIsDropped() {
        String zalgo = "a" + "\u0301\u0302\u0303\u0304\u0305\u0306\u0307\u0308";
        String cleaned = DisplayNames.clean(zalgo);
        assertTrue(cleaned.codePointCount(0, cleaned.length()) <= 4, cleaned);
        assertTrue(cleaned.startsWith("\u00e1") || cleaned.startsWith("a"), cleaned);
        assertEquals("x", DisplayNames.clean("\u0301x"));
    }

    @Test
    void realNamesInEveryScriptStayAsTheyAre() {
        for (String name : new String[] {"alice", "Zoë Ångström", "Nguy\u1EC5n V\u0103n A", "\u05D3\u05B8\u05D5\u05B4\u05D3",
                "\u0645\u062D\u0645\u062F", "\u6771\u4EAC\u306E\u592A\u90CE", "\uD55C\uAE00", "\u0928\u092E\u0938\u094D\u0924\u0947",
                "\uD83D\uDE00 smiley", "O'Brien-Smith (work)"}) {
            assertEquals(java.text.Normalizer.normalize(name, java.text.Normalizer.Form.NFC), DisplayNames.clean(name),
                    name);
        }
        assertFalse(DisplayNames.isInvisible('a'));
    }

    @Test
    void aChatMessageIsShownUnderItsSendersCleanedNameAndANoticeNamingSomeoneIsCleanedToo() {
        WireMessage.Chat chat = (WireMessage.Chat) ChatCodec.decode(
                "{\"id\":\"1\",\"content\":\"hi \u202Eevil\",\"sender\":\"al\u200Bice\u202E\",\"timestamp\":1}");
        assertEquals("alice", chat.message().sender());
        assertEquals("hi \u202Eevil", chat.message().content(), "what people write is theirs");
        WireMessage.Chat notice = (WireMessage.Chat) ChatCodec.decode(
                "{\"id\":\"2\",\"content\":\"b\u2066ob\u2069 joined the chat\",\"sender\":\"system\",\"timestamp\":1}");
        assertEquals("bob joined the chat", notice.message().content());
        WireMessage.Chat blank = (WireMessage.Chat) ChatCodec.decode(
                "{\"id\":\"3\",\"content\":\"x\",\"sender\":\"\u200B\",\"timestamp\":1}");
        assertEquals("anonymous", blank.message().sender());
    }

    @Test
    void aLengthLimitCountsCodePointsAndNeverSplitsAPair() {
        assertEquals("\uD83D\uDE00\uD83D\uDE00", DisplayNames.clean("\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00", 2));
        assertEquals("ab", DisplayNames.clean("ab \u202Ecd", 3));
        // A lone surrogate is not a character.
        assertEquals("ab", DisplayNames.clean("a\uD800b"));
    }
}
