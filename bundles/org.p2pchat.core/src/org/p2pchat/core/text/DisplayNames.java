package org.p2pchat.core.text;

import java.text.Normalizer;

/**
 * Display names as people see them: a name someone else chose may carry direction overrides
 * (U+202E turns "alice\u202Egpj.exe" into "aliceexe.jpg"), zero-width or other invisible
 * characters (two names that look the same but differ), line breaks or piles of combining marks.
 * The relay cleans a name when it registers it and every client cleans the names it shows or
 * compares, the same way, here; file names get the same treatment of invisible characters.
 */
public final class DisplayNames {

    /** More stacked combining marks than any script needs only smear a name over its neighbours. */
    static final int MAX_COMBINING_MARKS = 3;

    private DisplayNames() {
    }

    /**
     * The name without invisible, format and control characters, with every run of white space
     * (line breaks and tabs too) made one space, no space at either end, NFC-normalized and at
     * most {@value #MAX_COMBINING_MARKS} combining marks on one letter. Empty if nothing visible
     * is left (or {@code name} is null); the length is left to the caller.
     */
    public static String clean(String name) {
        if (name == null || name.isEmpty()) {
            return "";
        }
        String s = Normalizer.normalize(name, Normalizer.Form.NFC);
        StringBuilder b = new StringBuilder(s.length());
        boolean space = false;
        int marks = 0;
        for (int i = 0; i < s.length();) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.isWhitespace(cp) || Character.isSpaceChar(cp)) {
                space = b.length() > 0;
                continue;
            }
            if (isInvisible(cp)) {
                continue;
            }
            int type = Character.getType(cp);
            if (type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK
                    || type == Character.COMBINING_SPACING_MARK) {
                if (b.length() == 0 || ++marks > MAX_COMBINING_MARKS) {
                    continue; // a mark on nothing, or one too many
                }
            } else {
                marks = 0;
            }
            if (space) {
                b.append(' ');
                space = false;
            }
            b.appendCodePoint(cp);
        }
        return b.toString();
    }

    /** {@link #clean(String)}, cut to at most {@code maxCodePoints} code points; never cuts a pair in half. */
    public static String clean(String name, int maxCodePoints) {
        String cleaned = clean(name);
        if (cleaned.codePointCount(0, cleaned.length()) <= maxCodePoints) {
            return cleaned;
        }
        return cleaned.substring(0, cleaned.offsetByCodePoints(0, maxCodePoints)).strip();
    }

    /**
     * Whether a character shows nothing of itself yet changes how text reads: controls, format
     * characters (direction overrides and isolates, zero-width space and joiners, the byte-order
     * mark, tag characters), unassigned and private-use code points, lone surrogates, line and
     * paragraph separators, and the letters and marks that render as blanks (Hangul fillers, the
     * blank Braille pattern, the combining grapheme joiner, Mongolian variation selectors, Khmer
     * inherent vowels).
     */
    public static boolean isInvisible(int codePoint) {
        switch (Character.getType(codePoint)) {
            case Character.CONTROL, Character.FORMAT, Character.UNASSIGNED, Character.PRIVATE_USE,
                    Character.SURROGATE, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> {
                return true;
            }
            default -> {
                return switch (codePoint) {
                    case 0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x180B, 0x180C, 0x180D, 0x180E, 0x180F, 0x2800,
                            0x3164, 0xFFA0 -> true;
                    default -> false;
                };
            }
        }
    }
}
