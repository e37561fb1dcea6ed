package org.p2pchat.signaling.manual.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.util.Random;
import java.util.regex.Pattern;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.p2pchat.core.SessionDescription;
import org.p2pchat.core.SessionDescription.Type;
import org.p2pchat.core.signaling.SignalingException;
import org.p2pchat.core.signaling.PasteCodec.Form;

/**
 * Random damage to valid texts, with a fixed seed. Every outcome is compared exactly: the compact
 * code's checksum makes any accepted code the original one, and a JSON text is read as the web
 * app's {@code JSON.parse} reads it (strict JSON): the description it then holds, or a
 * {@link SignalingException} with a message when it holds none. Never another exception.
 */
class ManualExchangeFuzzTest {

    private static final int ROUNDS = 3_000;
    private static final String ALPHABET = "AZaz09-_+/=:{}[]\",\\ \r\n\tp2chat1v0\u00A0\u200B\u00E9\uD83D\uDC4B";
    private static final Pattern FINGERPRINT = Pattern.compile("(?m)^a=fingerprint:\\S+ [0-9A-Fa-f:]+");

    private final RegisteredProvider.Paste provider = RegisteredProvider.paste();

    @ParameterizedTest
    @EnumSource(Form.class)
    void damagedTextIsReadCorrectlyOrRefused(Form form) {
        Random random = new Random(20261125L + form.ordinal());
        int read = 0;
        int changedButRead = 0;
        for (int round = 0; round < ROUNDS; round++) {
            SessionDescription original = SampleDescriptions.ALL.get(random.nextInt(SampleDescriptions.ALL.size()));
            Type expectedType = random.nextInt(8) == 0 ? other(original.type()) : original.type();
            String code = provider.encode(original, form);
            String damaged = damage(code, random);
            // What the text says once line breaks, surrounding white space and quotes are gone.
            String pasted = unwrapped(damaged);
            SessionDescription expected = form == Form.COMPACT
                    ? (pasted.equals(code) && original.type() == expectedType ? original : null)
                    : asTheWebAppReadsIt(pasted, expectedType);
            SessionDescription decoded;
            try {
                decoded = provider.decode(damaged, expectedType);
            } catch (SignalingException e) {
                assertNull(expected, () -> "refused (" + e.getMessage() + "): " + damaged);
                assertFalse(e.getMessage() == null || e.getMessage().isBlank(), damaged);
                continue;
            } catch (RuntimeException | Error e) {
                throw new AssertionError("decode threw " + e + " for: " + damaged, e);
            }
            read++;
            if (form == Form.COMPACT) {
                // The checksum makes any accepted code the original one.
                assertEquals(original, decoded, damaged);
            } else {
                assertEquals(expected, decoded, damaged);
                if (!decoded.equals(original)) {
                    changedButRead++;
                }
            }
        }
        System.out.println(form + ": " + read + " of " + ROUNDS + " damaged texts read, " + changedButRead
                + " of them as a changed description");
        // Sanity: the damage leaves some texts readable (white space, quotes), so both paths ran.
        assertTrue(read > 0 && read < ROUNDS, read + " of " + ROUNDS + " read");
    }

    /** The text without line breaks, surrounding white space and (up to three levels of) double quotes. */
    private static String unwrapped(String text) {
        String s = text.replace("\r", "").replace("\n", "").strip();
        for (int level = 0; level < 3 && s.length() >= 2 && s.startsWith("\"") && s.endsWith("\""); level++) {
            JsonElement value = strictJson(s);
            s = (value instanceof JsonPrimitive p && p.isString() ? p.getAsString() : s.substring(1, s.length() - 1))
                    .strip();
        }
        return s;
    }

    /** The description a JSON text holds for this step, as the web app reads it, or null if none. */
    private static SessionDescription asTheWebAppReadsIt(String text, Type expectedType) {
        if (!(strictJson(text) instanceof JsonObject o && o.get("type") instanceof JsonPrimitive type
                && type.isString() && o.get("sdp") instanceof JsonPrimitive sdp && sdp.isString())) {
            return null;
        }
        String s = sdp.getAsString();
        boolean usable = expectedType.wireName().equals(type.getAsString())
                && (s.startsWith("v=0\r\n") || s.startsWith("v=0\n")) && FINGERPRINT.matcher(s).find();
        return usable ? new SessionDescription(expectedType, s) : null;
    }

    /** {@code text} as strict JSON (RFC 8259, what {@code JSON.parse} takes), or null if it is not. */
    private static JsonElement strictJson(String text) {
        try {
            JsonReader reader = new JsonReader(new StringReader(text));
            reader.setStrictness(Strictness.STRICT);
            JsonElement e = JsonParser.parseReader(reader);
            return reader.peek() == JsonToken.END_DOCUMENT && !e.isJsonNull() ? e : null;
        } catch (IOException | JsonParseException e) {
            return null;
        }
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
