package org.p2pchat.core.internal.json;

import java.io.IOException;
import java.io.StringReader;

import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonSyntaxException;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;

/**
 * Reads JSON text from a peer as the web app's {@code JSON.parse} does (RFC 8259): Gson's default
 * leniency would take unquoted names, single quotes, comments and raw control characters that the
 * web app refuses, so both clients would not see the same messages.
 */
public final class StrictJson {

    private StrictJson() {
    }

    /**
     * The value {@code text} holds; {@link com.google.gson.JsonNull} for empty text, as Gson has it.
     *
     * @throws JsonParseException if it is not one strict JSON value (also for nesting too deep)
     */
    public static JsonElement parse(String text) {
        JsonReader reader = new JsonReader(new StringReader(text));
        reader.setStrictness(Strictness.STRICT);
        JsonElement root = JsonParser.parseReader(reader);
        try {
            if (!root.isJsonNull() && reader.peek() != JsonToken.END_DOCUMENT) {
                throw new JsonSyntaxException("Did not consume the entire document.");
            }
        } catch (IOException e) {
            throw new JsonSyntaxException(e);
        }
        return root;
    }
}
