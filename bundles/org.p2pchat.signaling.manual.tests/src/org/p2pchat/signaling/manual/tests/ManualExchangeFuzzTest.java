package org.p2pchat.signaling.manual.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.p2pchat.core.SessionDescription;
import org.p2pchat.core.SessionDescription.Type;
import org.p2pchat.core.signaling.SignalingException;
import org.p2pchat.core.signaling.TextSignalingProvider;
import org.p2pchat.core.signaling.TextSignalingProvider.Form;

/**
 * Random damage to valid texts, with a fixed seed: every outcome is a usable description or a
 * {@link SignalingException} with a message, never another exception.
 */
class ManualExchangeFuzzTest {

    private static final int ROUNDS = 3_000;
    private static final String ALPHABET = "AZaz09-_+/=:{}[]\",\\ \r\n\tp2chat1v0\u00A0\u200B\u00E9\uD83D\uDC4B";

    private final TextSignalingProvider provider = RegisteredProvider.manual();

    @ParameterizedTest
    @EnumSource(Form.class)
    void damagedTextIsReadCorrectlyOrRefused(Form form) {
        Random random = new Random(20261125L + form.ordinal());
        int read = 0;
        for (int round = 0; round < ROUNDS; round++) {
            SessionDescription original = SampleDescriptions.ALL.get(random.nextInt(SampleDescriptions.ALL.size()));
            Type expected = random.nextInt(8) == 0 ? other(original.type()) : original.type();
            String damaged = damage(provider.encode(original, form), random);
            try {
                SessionDescription decoded = provider.decode(damaged, expected);
                read++;
                assertEquals(expected, decoded.type());
                assertTrue(decoded.sdp().startsWith("v=0"), decoded::sdp);
                assertTrue(decoded.sdp().contains("\na=fingerprint:"), decoded::sdp);
                if (form == Form.COMPACT) {
                    // The checksum makes any accepted code the original one.
                    assertEquals(original, decoded, damaged);
                }
            } catch (SignalingException e) {
                assertFalse(e.getMessage() == null || e.getMessage().isBlank(), damaged);
            } catch (RuntimeException | Error e) {
                fail("decode threw " + e + " for: " + damaged, e);
            }
        }
        // Sanity: the damage leaves some texts readable (white space, quotes), so both paths ran.
        assertTrue(read > 0 && read < ROUNDS, read + " of " + ROUNDS + " read");
    }

    private static Type other(Type type) {
        return type == Type.OFFER ? Type.ANSWER : Type.OFFER;
    }

    private static String damage(String text, Random random) {
        StringBuilder s = new StringBuilder(text);
        int edits = 1 + random.nextInt(3);
        for (int i = 0; i < edits && !s.isEmpty(); i++) {
            int at = random.nextInt(s.length());
            char c = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
            switch (random.nextInt(7)) {
                case 0 -> s.setLength(at);
                case 1 -> s.setCharAt(at, c);
                case 2 -> s.insert(at, c);
                case 3 -> s.deleteCharAt(at);
                case 4 -> s.insert(at, random.nextBoolean() ? "\r\n" : " ");
                case 5 -> s.insert(at, s.substring(at, Math.min(s.length(), at + 1 + random.nextInt(40))));
                default -> s.insert(0, '"').append('"');
            }
        }
        return s.toString();
    }
}
