package org.p2pchat.rendezvous.internal;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.ByteBuffer;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;

/**
 * A legacy {@code POST /signal} body, read without a tree for its payload: an object or array
 * payload is copied token by token into its compact JSON text (what the fetch answers, and what
 * the signal keeps), so that a 64 KiB array of zeros costs its text, not some 2.7 MB of parsed
 * elements. The other members are read as usual (objects and arrays among them only as empty
 * stand-ins that say what they were). A body that is not a well-formed JSON object is handed to
 * {@link Json#parseObject}, so that it is refused in exactly the same words as every other body.
 *
 * @param members     the body's members, the payload's as an empty stand-in if {@code payloadJson} holds it
 * @param payloadJson the payload as compact JSON text if it is an object or array, else null
 */
record SignalBody(JsonObject members, String payloadJson) {

    private static final String PAYLOAD = "payload";

    static SignalBody parse(byte[] body) throws ApiException {
        try {
            SignalBody parsed = read(body);
            if (parsed != null) {
                return parsed;
            }
        } catch (IOException | RuntimeException e) {
            // Malformed: the refusal below says how, as for any body.
        }
        JsonObject object = Json.parseObject(body); // throws for everything read() could not take
        JsonElement payload = object.get(PAYLOAD);
        return new SignalBody(object, payload != null && (payload.isJsonObject() || payload.isJsonArray())
                ? Json.compact(payload) : null);
    }

    /** The body read as a stream; null if it is not one well-formed JSON object. */
    private static SignalBody read(byte[] body) throws IOException {
        if (body.length == 0) {
            return null;
        }
        JsonReader in = new JsonReader(new StringReader(Json.utf8(ByteBuffer.wrap(body))));
        in.setStrictness(Strictness.STRICT);
        if (in.peek() != JsonToken.BEGIN_OBJECT) {
            return null;
        }
        JsonObject members = new JsonObject();
        String payloadJson = null;
        in.beginObject();
        while (in.hasNext()) {
            String name = in.nextName();
            JsonToken token = in.peek();
            boolean structure = token == JsonToken.BEGIN_OBJECT || token == JsonToken.BEGIN_ARRAY;
            if (!structure) {
                members.add(name, JsonParser.parseReader(in));
                if (name.equals(PAYLOAD)) {
                    payloadJson = null; // the last member of a name counts, as in a parsed tree
                }
                continue;
            }
            if (name.equals(PAYLOAD)) {
                payloadJson = copy(in);
            } else {
                in.skipValue();
            }
            members.add(name, token == JsonToken.BEGIN_OBJECT ? new JsonObject() : new JsonArray());
        }
        in.endObject();
        return in.peek() == JsonToken.END_DOCUMENT ? new SignalBody(members, payloadJson) : null;
    }

    /** The next value (an object or array) as compact JSON, written as {@link Json#compact} writes a tree. */
    private static String copy(JsonReader in) throws IOException {
        StringWriter text = new StringWriter(256);
        JsonWriter out = new JsonWriter(text);
        out.setSerializeNulls(true);
        int depth = 0;
        do {
            switch (in.peek()) {
                case BEGIN_ARRAY -> {
                    in.beginArray();
                    out.beginArray();
                    depth++;
                }
                case END_ARRAY -> {
                    in.endArray();
                    out.endArray();
                    depth--;
                }
                case BEGIN_OBJECT -> {
                    in.beginObject();
                    out.beginObject();
                    depth++;
                }
                case END_OBJECT -> {
                    in.endObject();
                    out.endObject();
                    depth--;
                }
                case NAME -> out.name(in.nextName());
                case STRING -> out.value(in.nextString());
                // The number's own digits, as a parsed tree keeps and writes them.
                case NUMBER -> out.jsonValue(in.nextString());
                case BOOLEAN -> out.value(in.nextBoolean());
                case NULL -> {
                    in.nextNull();
                    out.nullValue();
                }
                default -> throw new IOException("unexpected end of the payload");
            }
        } while (depth > 0);
        out.flush();
        return text.toString();
    }
}
