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
 * ({@code {"id","content","sender","timestamp"}}), plus what only our clients speak: the
 * {@code ping}/{@code pong} pair they answer by themselves, a chat message's delivery sequence number
 * ({@code "seq"}) and the cumulative acknowledgement {@code {"type":"ack","seq":N}}. Unknown fields
 * are ignored; unknown types are reported. Text is read as strict JSON, as the web app's
 * {@code JSON.parse} reads it. A sequence number must be a whole number from 0 to 2^53 (what a
 * JavaScript number holds exactly); anything else is malformed.
 */
public final class ChatCodec {

    /** The field our clients add to their join notice so that the peer knows what it talks to. */
    public static final String CLIENT_FIELD = "client";
    /** What a message from a sender whose name has nothing visible is shown under. */
    static final String ANONYMOUS = "anonymous";
    /** Longer names are cut when shown; the relay's limit for registered names. */
    static final int MAX_SENDER_CHARS = 100;
    /** The field of a chat message's and an acknowledgement's sequence number. */
    public static final String SEQ_FIELD = "seq";
    /** The largest sequence number: the largest integer a JavaScript number holds exactly. */
    public static final long MAX_SEQ = 1L << 53;

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

    /** Our clients' cumulative acknowledgement of every sequenced message up to {@code seq}. */
    public static String encodeAck(long seq) {
        if (seq < 0 || seq > MAX_SEQ) {
            throw new IllegalArgumentException("seq out of range: " + seq);
        }
        JsonObject o = new JsonObject();
        o.addProperty("type", "ack");
        o.addProperty(SEQ_FIELD, seq);
        return o.toString();
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
        if (message.seq() > 0) {
            o.addProperty(SEQ_FIELD, message.seq());
        }
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
            case "ack" -> {
                long seq = seq(o);
                yield seq < 0 || !o.has(SEQ_FIELD)
                        ? new WireMessage.Malformed("acknowledgement without a valid 'seq': " + excerpt(text))
                        : new WireMessage.Ack(seq);
            }
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
        long seq = seq(o);
        if (seq < 0) {
            return new WireMessage.Malformed("chat message with an invalid 'seq': " + excerpt(text));
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
        return new WireMessage.Chat(new ChatMessage(id, content, shownSender, timestamp, seq),
                string(o, CLIENT_FIELD));
    }

    private static String string(JsonObject o, String field) {
        JsonElement e = o.get(field);
        if (e instanceof JsonPrimitive p && p.isString()) {
            return p.getAsString();
        }
        return null;
    }

    /**
     * The sequence number: 0 if there is none; -1 if it is not a whole number from 0 to
     * {@link #MAX_SEQ} (a string, a fraction, an exponent too large, a negative number).
     */
    private static long seq(JsonObject o) {
        JsonElement e = o.get(SEQ_FIELD);
        if (e == null) {
            return 0;
        }
        if (!(e instanceof JsonPrimitive p) || !p.isNumber()) {
            return -1;
        }
        try {
            java.math.BigDecimal d = new java.math.BigDecimal(p.getAsString());
            if (d.signum() < 0 || d.compareTo(java.math.BigDecimal.valueOf(MAX_SEQ)) > 0) {
                return -1;
            }
            return d.longValueExact();
        } catch (NumberFormatException | ArithmeticException ex) {
            return -1;
        }
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
