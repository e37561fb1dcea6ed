package org.p2pchat.rendezvous.internal;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Set;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;

/** Strict JSON in, compact JSON out (what Express's {@code res.json} writes). */
public final class Json {

    /** Writes payloads as JSON.stringify does: no HTML escaping ("=" stays "="), nulls kept. */
    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().serializeNulls().create();

    private Json() {
    }

    /** Writes a value with a {@link JsonWriter}; returns the UTF-8 bytes. */
    public interface Body {
        void write(JsonWriter out) throws IOException;
    }

    public static byte[] write(Body body) {
        StringWriter text = new StringWriter(64);
        try (JsonWriter out = new JsonWriter(text)) {
            out.setSerializeNulls(true);
            body.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A string as a JSON string literal (quoted and escaped as {@link #write} writes it), UTF-8. */
    public static byte[] quoted(String text) {
        return write(out -> out.value(text));
    }

    /** The element of {@code constants} equal to {@code text} (the constant's own instance), or null. */
    public static String canonical(Set<String> constants, String text) {
        for (String constant : constants) {
            if (constant.equals(text)) {
                return constant;
            }
        }
        return null;
    }

    /** A value as compact JSON text, as JSON.stringify writes it. */
    public static String compact(JsonElement value) {
        return GSON.toJson(value);
    }

    public static byte[] error(String reason) {
        return write(out -> out.beginObject().name("error").value(reason).endObject());
    }

    /**
     * Parses a request body that must be one JSON object in strict RFC 8259 syntax and valid UTF-8
     * (no comments, single quotes, trailing data; nesting bounded by Gson's limit of 255).
     */
    public static JsonObject parseObject(byte[] body) throws ApiException {
        if (body.length == 0) {
            throw new ApiException(400, "request body is empty; send a JSON object");
        }
        String text;
        try {
            text = utf8(ByteBuffer.wrap(body));
        } catch (CharacterCodingException e) {
            throw new ApiException(400, "request body is not valid UTF-8");
        }
        JsonElement parsed;
        try (JsonReader reader = new JsonReader(new StringReader(text))) {
            reader.setStrictness(Strictness.STRICT);
            parsed = JsonParser.parseReader(reader);
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw new ApiException(400, "malformed JSON: unexpected data after the JSON value");
            }
        } catch (ApiException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // Gson reports syntax errors, nesting beyond its limit and empty input this way.
            throw new ApiException(400, "malformed JSON: " + reason(e));
        }
        if (!parsed.isJsonObject()) {
            throw new ApiException(400, "request body must be a JSON object");
        }
        return parsed.getAsJsonObject();
    }

    /** Decodes strict UTF-8: malformed input is an error, not a replacement character. */
    public static String utf8(ByteBuffer bytes) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(bytes).toString();
    }

    private static String reason(Throwable e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        String message = cause.getMessage();
        if (message == null || message.isBlank()) {
            return "the body is empty or not JSON";
        }
        int seeAlso = message.indexOf("\nSee ");
        return seeAlso > 0 ? message.substring(0, seeAlso) : message;
    }

    /**
     * A required string field. Missing, {@code null} or empty counts as missing (the original's
     * {@code !field} test): {@code missingReason} is the original's own 400 message.
     */
    public static String requiredString(JsonObject object, String field, String missingReason, int maxLength)
            throws ApiException {
        JsonElement value = object.get(field);
        if (value == null || value.isJsonNull()) {
            throw new ApiException(400, missingReason);
        }
        if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
            throw new ApiException(400, field + " must be a JSON string, was " + kind(value));
        }
        String text = value.getAsString();
        if (text.isEmpty()) {
            throw new ApiException(400, missingReason);
        }
        if (text.length() > maxLength) {
            throw new ApiException(400, field + " is longer than " + maxLength + " characters");
        }
        return text;
    }

    /** Client text to quote in a reason: at most 80 characters, control characters as '?'. */
    public static String excerpt(String text) {
        String head = text.length() > 80 ? text.substring(0, 77) + "..." : text;
        StringBuilder clean = new StringBuilder(head.length());
        head.chars().forEach(c -> clean.append(Character.isISOControl(c) ? '?' : (char) c));
        return clean.toString();
    }

    public static String kind(JsonElement value) {
        if (value.isJsonObject()) {
            return "an object";
        }
        if (value.isJsonArray()) {
            return "an array";
        }
        if (value.isJsonNull()) {
            return "null";
        }
        var primitive = value.getAsJsonPrimitive();
        return primitive.isBoolean() ? "a boolean" : primitive.isNumber() ? "a number" : "a string";
    }
}
