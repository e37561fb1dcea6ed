package org.p2pchat.testing;

import java.util.Random;

/** Repeatable test content. */
public final class TestData {

    /** Letters, digits, JSON's special characters, non-ASCII and control characters. */
    public static final String ANY_TEXT = "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789\"\\\n\tÄöü€✓";
    /** The same without line breaks: what one line typed into a terminal can hold. */
    public static final String ONE_LINE_TEXT = "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 0123456789 .,;:!?\"'\\/<>{}[] äöü€ ✓";

    private TestData() {
    }

    /** {@code length} characters drawn from {@code alphabet}, the same for the same seed. */
    public static String randomText(int length, long seed, String alphabet) {
        Random r = new Random(seed);
        StringBuilder b = new StringBuilder(length);
        while (b.length() < length) {
            b.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return b.toString();
    }
}
