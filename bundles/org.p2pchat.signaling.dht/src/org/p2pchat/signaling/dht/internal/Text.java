package org.p2pchat.signaling.dht.internal;

import java.nio.charset.StandardCharsets;

import org.p2pchat.core.text.DisplayNames;

/** Small text helpers for what services and peers send: shown to people, so kept short and printable. */
final class Text {

    private Text() {
    }

    static String shortened(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }

    /** A name as someone else chose it: control characters become spaces, at most {@code max} characters. */
    static String printable(String s, int max) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(Math.min(s.length(), max));
        s.codePoints().limit(max).forEach(c -> b.appendCodePoint(Character.isISOControl(c) || c == 0x2028 || c == 0x2029 ? ' ' : c));
        return b.toString().strip();
    }

    /** A display name someone else chose, cleaned as every display name is ({@link DisplayNames}), at most {@code max} characters. */
    static String name(String s, int max) {
        return DisplayNames.clean(s, max);
    }

    /** One path segment or query value, percent-encoded as UTF-8 (only unreserved characters stay as they are). */
    static String pathSegment(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (x & 0xFF);
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~') {
                b.append(c);
            } else {
                b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            }
        }
        return b.toString();
    }
}
