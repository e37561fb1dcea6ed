package org.p2pchat.core.wire;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonPrimitive;

import org.p2pchat.core.ChatMessage;
import org.p2pchat.core.internal.json.StrictJson;
import org.p2pchat.core.text.DisplayNames;

/**
 * Encodes and decodes the JSON text messages of the chat channel, in the web app's format
 * ({@code {"id","content","sender","timestamp"}}), plus the {@code ping}/{@code pong} pair our
 * clients answer by themselves. Unknown fields are ignored; unknown types are reported. Text is
 * read as strict JSON, as the web app's {@code JSON.parse} reads it.
 */
public final class ChatCodec {

    /** The field our clients add to their join notice so that the peer knows what it talks to. */
    public static final String CLIENT_FIELD = "client";
    /** What a message from a sender whose name has nothing visible is shown under. */
    static final String ANONYMOUS = "anonymous";
    /** Longer names are cut when shown; the relay's limit for registered names. */
    static final int MAX_SENDER_CHARS = 100;

    private ChatCodec() {
    }

    public static String encode(ChatMessage message) {
        return toJson(message, null).toString();
    }

    /** A chat message that also names our client; the web app ignores the extra field. */
    public static String encode(ChatMessage message, String client) {
        return toJson(message, client).toString();
    }

    public static String encodePing(String id) {
        return control("ping", id);
    }

    public static String encodePong(String id) {
        return control("pong", id);
    }

    private static String control(String type, String id) {
        JsonObject o = new JsonObject();
        o.addProperty("type", type);
        o.addProperty("id", id);
        return o.toString();
    }

    private static JsonObject toJson(ChatMessage message, String client) {
        JsonObject o = new JsonObject();
        o.addProperty("id", message.id());
        o.addProperty("content", message.content());
        o.addProperty("sender", message.sender());
        o.addProperty("timestamp", message.timestamp());
        if (client != null) {
            o.addProperty(CLIENT_FIELD, client);
        }
        return o;
    }

    /** Never throws: anything that is not a message comes back as {@link WireMessage.Malformed}. */
    public static WireMessage decode(String text) {
        if (text == null) {
            return new WireMessage.Malformed("no text");
        }
        JsonElement root;
        try {
            root = StrictJson.parse(text);
        } catch (JsonParseException | StackOverflowError e) {
            return new WireMessage.Malformed("not JSON: " + excerpt(text));
        }
        if (!root.isJsonObject()) {
            return new WireMessage.Malformed("not a JSON object: " + excerpt(text));
        }
        JsonObject o = root.getAsJsonObject();
        String type = string(o, "type");
        if (o.has("type") && type == null) {
            return new WireMessage.Malformed("'type' is not a string: " + excerpt(text));
        }
        if (type == null || type.equals("message") || type.equals("text")) {
            return decodeChat(o, text);
        }
        return switch (type) {
            case "ping" -> requireId(o, text, new WireMessage.Ping(string(o, "id")));
            case "pong" -> requireId(o, text, new WireMessage.Pong(string(o, "id")));
            default -> new WireMessage.Unknown(type, text);
        };
    }

    private static WireMessage requireId(JsonObject o, String text, WireMessage ok) {
        return string(o, "id") == null ? new WireMessage.Malformed("control message without 'id': " + excerpt(text)) : ok;
    }

    private static WireMessage decodeChat(JsonObject o, String text) {
        String content = string(o, "content");
        String sender = string(o, "sender");
        if (content == null) {
            return new WireMessage.Malformed("chat message without a string 'content': " + excerpt(text));
        }
        if (sender == null) {
            return new WireMessage.Malformed("chat message without a string 'sender': " + excerpt(text));
        }
        String id = string(o, "id");
        if (id == null) {
            // The web app always sets one, but a missing id loses nothing worth refusing the text for.
            id = java.util.UUID.randomUUID().toString();
        }
        long timestamp = number(o, "timestamp", System.currentTimeMillis());
        // The sender's name, and a notice (which names someone), are shown as every display name is.
        String shownSender = DisplayNames.clean(sender, MAX_SENDER_CHARS);
        if (shownSender.isEmpty()) {
            shownSender = ANONYMOUS;
        }
        if (ChatMessage.SYSTEM_SENDER.equals(shownSender)) {
            content = DisplayNames.clean(content);
        }
        return new WireMessage.Chat(new ChatMessage(id, content, shownSender, timestamp), string(o, CLIENT_FIELD));
    }

    private static String string(JsonObject o, String field) {
        JsonElement e = o.get(field);
        if (e instanceof JsonPrimitive p && p.isString()) {
            return p.getAsString();
        }
        return null;
    }

    private static long number(JsonObject o, String field, long fallback) {
        JsonElement e = o.get(field);
        if (e instanceof JsonPrimitive p && p.isNumber()) {
            try {
                return p.getAsBigDecimal().longValue();
            } catch (NumberFormatException ex) {
                return fallback;
            }
        }
        return fallback;
    }

    /** The start of a bad input, short enough for an error line. */
    public static String excerpt(String text) {
        if (text == null) {
            return "(nothing)";
        }
        String oneLine = text.replaceAll("\\s+", " ").strip();
        return oneLine.length() <= 60 ? "'" + oneLine + "'" : "'" + oneLine.substring(0, 57) + "...' (" + text.length() + " chars)";
    }
}
