package org.p2pchat.core.tests.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.p2pchat.core.ChatMessage;
import org.p2pchat.core.text.DisplayNames;
import org.p2pchat.core.wire.ChatCodec;
import org.p2pchat.core.wire.WireMessage;

class ChatCodecTest {

    private static final ChatMessage HELLO = new ChatMessage("m-1", "hello", "alice", 1_700_000_000_123L);

    /** What the web app's {@code JSON.stringify} produces for a chat line. */
    private static final String WEB_APP_HELLO =
            "{\"id\":\"m-1\",\"content\":\"hello\",\"sender\":\"alice\",\"timestamp\":1700000000123}";

    @Test
    void encodesExactlyTheWebAppFormat() {
        assertEquals(WEB_APP_HELLO, ChatCodec.encode(HELLO));
    }

    @Test
    void decodesWhatTheWebAppSends() {
        assertEquals(new WireMessage.Chat(HELLO, null), ChatCodec.decode(WEB_APP_HELLO));
    }

    @Test
    void clientFieldTravelsWithTheMessage() {
        String json = ChatCodec.encode(HELLO, "p2pchat-desktop/0.1");

        assertEquals("{\"id\":\"m-1\",\"content\":\"hello\",\"sender\":\"alice\",\"timestamp\":1700000000123,"
                + "\"client\":\"p2pchat-desktop/0.1\"}", json);
        assertEquals(new WireMessage.Chat(HELLO, "p2pchat-desktop/0.1"), ChatCodec.decode(json));
    }

    @Test
    void joinNoticeRoundTripsAsASystemLine() {
        ChatMessage notice = ChatMessage.joinNotice("alice");

        WireMessage.Chat decoded = assertInstanceOf(WireMessage.Chat.class, ChatCodec.decode(ChatCodec.encode(notice)));
        assertEquals(notice, decoded.message());
        assertEquals("alice joined the chat", decoded.message().content());
        assertTrue(decoded.message().isSystemNotice());
    }

    @Test
    void unknownFieldsAreIgnored() {
        String json = "{\"id\":\"m-1\",\"color\":\"red\",\"content\":\"hello\",\"reactions\":{\"+1\":[1,2]},"
                + "\"sender\":\"alice\",\"timestamp\":1700000000123,\"edited\":null}";

        assertEquals(new WireMessage.Chat(HELLO, null), ChatCodec.decode(json));
    }

    @ParameterizedTest
    @ValueSource(strings = { "Grüße 👋🏽 — 中文 — עברית", "line one\nline two\r\n\ttabbed", "family 👨‍👩‍👧‍👦 flag 🇺🇦",
            "quote \" backslash \\ slash /", "</script><!-- & = '", "separators \u2028 \u2029 nul \u0000 del \u007f",
            "", "   " })
    void textRoundTripsExactly(String content) {
        ChatMessage message = new ChatMessage("id-" + content.hashCode(), content, "bob 🙂", 42L);

        assertEquals(new WireMessage.Chat(message, null), ChatCodec.decode(ChatCodec.encode(message)));
    }

    @Test
    void pingAndPongRoundTrip() {
        assertEquals(new WireMessage.Ping("p-7"), ChatCodec.decode(ChatCodec.encodePing("p-7")));
        assertEquals(new WireMessage.Pong("p-7"), ChatCodec.decode(ChatCodec.encodePong("p-7")));
    }

    @Test
    void sequenceNumberTravelsWithOurMessagesOnly() {
        ChatMessage sequenced = HELLO.withSeq(7);
        String json = ChatCodec.encode(sequenced, "p2pchat-desktop/0.1");

        assertEquals("{\"id\":\"m-1\",\"content\":\"hello\",\"sender\":\"alice\",\"timestamp\":1700000000123,"
                + "\"seq\":7,\"client\":\"p2pchat-desktop/0.1\"}", json);
        assertEquals(new WireMessage.Chat(sequenced, "p2pchat-desktop/0.1"), ChatCodec.decode(json));
        assertEquals(WEB_APP_HELLO, ChatCodec.encode(HELLO), "no seq field for a message without one");
        assertEquals(0, HELLO.seq());
    }

    @Test
    void largestSequenceNumberIsTheLargestExactJavaScriptInteger() {
        String json = "{\"id\":\"m-1\",\"content\":\"hello\",\"sender\":\"alice\",\"timestamp\":1700000000123,"
                + "\"seq\":9007199254740992}";

        assertEquals(new WireMessage.Chat(HELLO.withSeq(1L << 53), null), ChatCodec.decode(json));
        assertEquals(new WireMessage.Ack(1L << 53), ChatCodec.decode("{\"type\":\"ack\",\"seq\":9.007199254740992e15}"));
    }

    @Test
    void acknowledgementRoundTrips() {
        assertEquals("{\"type\":\"ack\",\"seq\":42}", ChatCodec.encodeAck(42));
        assertEquals(new WireMessage.Ack(42), ChatCodec.decode(ChatCodec.encodeAck(42)));
        assertEquals(new WireMessage.Ack(0), ChatCodec.decode("{\"type\":\"ack\",\"seq\":0,\"extra\":true}"),
                "0: nothing stored yet; unknown fields are ignored");
    }

    @ParameterizedTest
    @ValueSource(strings = { "-1", "1.5", "\"3\"", "null", "true", "[1]", "{}", "9007199254740993", "1e300",
            "-9007199254740993", "18446744073709551616" })
    void badSequenceNumbersAreMalformed(String seq) {
        String chat = "{\"id\":\"m-1\",\"content\":\"hi\",\"sender\":\"alice\",\"timestamp\":1,\"seq\":" + seq + "}";
        String ack = "{\"type\":\"ack\",\"seq\":" + seq + "}";

        WireMessage.Malformed badChat = assertInstanceOf(WireMessage.Malformed.class, ChatCodec.decode(chat));
        assertTrue(badChat.reason().contains("invalid 'seq'"), badChat.reason());
        WireMessage.Malformed badAck = assertInstanceOf(WireMessage.Malformed.class, ChatCodec.decode(ack));
        assertTrue(badAck.reason().contains("valid 'seq'"), badAck.reason());
    }

    @Test
    void acknowledgementWithoutSequenceNumberIsMalformed() {
        assertInstanceOf(WireMessage.Malformed.class, ChatCodec.decode("{\"type\":\"ack\"}"));
        assertInstanceOf(WireMessage.Malformed.class, ChatCodec.decode("{\"type\":\"ack\",\"id\":\"5\"}"));
    }

    @Test
    void webAppFileOfferIsReportedAsUnknown() {
        String offer = "{\"id\":\"f-1\",\"type\":\"webtorrent-file\",\"fileName\":\"notes.txt\",\"fileSize\":1234,"
                + "\"fileType\":\"text/plain\",\"infoHash\":\"c12fe1c06bba254a9dc9f519b335aa7c1367a88a\","
                + "\"magnetURI\":\"magnet:?xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a\","
                + "\"timestamp\":1700000000123,\"sender\":\"bob\"}";

        assertEquals(new WireMessage.Unknown("webtorrent-file", offer), ChatCodec.decode(offer));
    }

    @Test
    void webAppFileReceiptIsReportedAsUnknown() {
        String receipt = "{\"type\":\"file-received\",\"id\":\"f-1\",\"fileName\":\"notes.txt\"}";

        assertEquals(new WireMessage.Unknown("file-received", receipt), ChatCodec.decode(receipt));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "hello world                                       | not JSON",
        "{\"content\":\"hi\",\"sender\":                   | not JSON",
        "{\"content\":\"hi\",\"sender\":\"a\"} trailing    | not JSON",
        "[1,2,3]                                           | not a JSON object",
        "42                                                | not a JSON object",
        "\"just a string\"                                 | not a JSON object",
        "null                                              | not a JSON object",
        "``                                                | not a JSON object",
        "{\"content\":5,\"sender\":\"alice\"}              | string 'content'",
        "{\"sender\":\"alice\"}                            | string 'content'",
        "{\"content\":\"hi\",\"sender\":[\"alice\"]}       | string 'sender'",
        "{\"content\":\"hi\"}                              | string 'sender'",
        "{\"type\":7,\"content\":\"hi\",\"sender\":\"a\"}  | 'type' is not a string",
        "{\"type\":\"ping\"}                               | without 'id'",
        "{\"type\":\"pong\",\"id\":12}                     | without 'id'" })
    void malformedInputIsReportedWithAReason(String text, String reasonPart) {
        WireMessage.Malformed malformed = assertInstanceOf(WireMessage.Malformed.class, ChatCodec.decode(text));

        assertTrue(malformed.reason().contains(reasonPart), malformed.reason());
    }

    @Test
    void nullIsMalformed() {
        assertInstanceOf(WireMessage.Malformed.class, ChatCodec.decode(null));
    }

    @ParameterizedTest
    @ValueSource(ints = { 300, 100_000 })
    void deeplyNestedJsonIsMalformed(int depth) {
        String arrays = "[".repeat(depth) + "]".repeat(depth);
        String objects = "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
        String inMessage = "{\"content\":\"hi\",\"sender\":\"a\",\"extra\":" + arrays + "}";

        for (String text : new String[] { arrays, objects, inMessage }) {
            assertInstanceOf(WireMessage.Malformed.class, ChatCodec.decode(text));
        }
    }

    @Test
    void hugeGarbageGivesAShortReason() {
        String unterminated = "{\"content\":\"" + "x".repeat(8 << 20);
        String bareString = "\"" + "y".repeat(8 << 20) + "\"";

        for (String text : new String[] { unterminated, bareString }) {
            WireMessage.Malformed malformed = assertInstanceOf(WireMessage.Malformed.class, ChatCodec.decode(text));
            assertTrue(malformed.reason().length() < 200, malformed.reason());
            assertTrue(malformed.reason().contains(text.length() + " chars"), malformed.reason());
        }
    }

    @Test
    void absurdTimestampDoesNotHang() {
        String json = "{\"content\":\"hi\",\"sender\":\"a\",\"timestamp\":1e999999999}";

        assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> assertInstanceOf(WireMessage.Chat.class, ChatCodec.decode(json)));
    }

    /**
     * 5,000 damaged copies of a valid message, each decoded exactly as the web app's
     * {@code JSON.parse} reads it (RFC 8259, no leniency) and then by the documented rules: a chat
     * line, a control message or an unknown type with exactly the parsed values, or the malformed
     * reason for that text. The oracle is strict JSON in this test, so a decoder that reads text
     * the web app would drop, or drops text it would read, fails here.
     */
    @Test
    void everyMutatedMessageDecodesAsTheWebAppReadsIt() {
        String valid = ChatCodec.encode(new ChatMessage("m-9", "Grüße \"quoted\" 👋", "alice", 1L, 12L), "p2pchat");
        String alphabet = "{}[]\":,\\ 0123456789.eE+-truefalsnul\u0000\uD83D\uDC4B";
        Random random = new Random(20261125);
        Map<String, Integer> outcomes = new TreeMap<>();
        for (int i = 0; i < 5_000; i++) {
            StringBuilder text = new StringBuilder(valid);
            int edits = 1 + random.nextInt(4);
            for (int e = 0; e < edits && !text.isEmpty(); e++) {
                int at = random.nextInt(text.length());
                char c = alphabet.charAt(random.nextInt(alphabet.length()));
                switch (random.nextInt(3)) {
                    case 0 -> text.setCharAt(at, c);
                    case 1 -> text.insert(at, c);
                    default -> text.setLength(at);
                }
            }
            String mutated = text.toString();
            long before = System.currentTimeMillis();
            WireMessage decoded = ChatCodec.decode(mutated);
            long after = System.currentTimeMillis();
            WireMessage expected = asTheWebAppReadsIt(mutated);
            if (expected instanceof WireMessage.Chat want && decoded instanceof WireMessage.Chat got) {
                // What the decoder makes up for a missing id or timestamp: a fresh id, the time now.
                JsonObject o = JsonParser.parseString(mutated).getAsJsonObject();
                ChatMessage w = want.message();
                ChatMessage g = got.message();
                String id = stringField(o, "id") == null ? UUID.fromString(g.id()).toString() : w.id();
                long timestamp = o.get("timestamp") instanceof JsonPrimitive p && p.isNumber() ? w.timestamp()
                        : (g.timestamp() >= before && g.timestamp() <= after ? g.timestamp() : -1);
                expected = new WireMessage.Chat(new ChatMessage(id, w.content(), w.sender(), timestamp, w.seq()),
                        want.client());
            }
            assertEquals(expected, decoded, () -> "for " + mutated);
            outcomes.merge(decoded instanceof WireMessage.Malformed m ? m.reason().substring(0, m.reason().indexOf(':'))
                    : decoded.getClass().getSimpleName(), 1, Integer::sum);
        }
        System.out.println("mutated chat messages: " + outcomes);
        assertTrue(outcomes.getOrDefault("Chat", 0) > 100 && outcomes.getOrDefault("not JSON", 0) > 100, outcomes::toString);
    }

    /** The test's own reading of a frame: strict JSON, then the rules the codec documents. */
    private static WireMessage asTheWebAppReadsIt(String text) {
        JsonElement root;
        try {
            JsonReader reader = new JsonReader(new StringReader(text));
            reader.setStrictness(Strictness.STRICT);
            root = JsonParser.parseReader(reader);
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw new JsonParseException("more after the value");
            }
        } catch (IOException | JsonParseException e) {
            return new WireMessage.Malformed("not JSON: " + ChatCodec.excerpt(text));
        }
        if (!(root instanceof JsonObject o)) {
            return new WireMessage.Malformed("not a JSON object: " + ChatCodec.excerpt(text));
        }
        String type = stringField(o, "type");
        if (o.has("type") && type == null) {
            return new WireMessage.Malformed("'type' is not a string: " + ChatCodec.excerpt(text));
        }
        String id = stringField(o, "id");
        if ("ping".equals(type) || "pong".equals(type)) {
            if (id == null) {
                return new WireMessage.Malformed("control message without 'id': " + ChatCodec.excerpt(text));
            }
            return type.equals("ping") ? new WireMessage.Ping(id) : new WireMessage.Pong(id);
        }
        long seq = seqField(o);
        if ("ack".equals(type)) {
            return seq < 0 || !o.has("seq")
                    ? new WireMessage.Malformed("acknowledgement without a valid 'seq': " + ChatCodec.excerpt(text))
                    : new WireMessage.Ack(seq);
        }
        if (type != null && !type.equals("message") && !type.equals("text")) {
            return new WireMessage.Unknown(type, text);
        }
        String content = stringField(o, "content");
        String sender = stringField(o, "sender");
        if (content == null) {
            return new WireMessage.Malformed("chat message without a string 'content': " + ChatCodec.excerpt(text));
        }
        if (sender == null) {
            return new WireMessage.Malformed("chat message without a string 'sender': " + ChatCodec.excerpt(text));
        }
        if (seq < 0) {
            return new WireMessage.Malformed("chat message with an invalid 'seq': " + ChatCodec.excerpt(text));
        }
        String shown = DisplayNames.clean(sender, 100);
        shown = shown.isEmpty() ? "anonymous" : shown;
        if (shown.equals(ChatMessage.SYSTEM_SENDER)) {
            content = DisplayNames.clean(content);
        }
        long timestamp = o.get("timestamp") instanceof JsonPrimitive p && p.isNumber()
                ? new BigDecimal(p.getAsString()).longValue() : 0;
        return new WireMessage.Chat(new ChatMessage(id == null ? "" : id, content, shown, timestamp, seq),
                stringField(o, "client"));
    }

    /** A sequence number as the documented rule says: absent 0, a whole number in [0, 2^53], else -1. */
    private static long seqField(JsonObject o) {
        if (!o.has("seq")) {
            return 0;
        }
        if (!(o.get("seq") instanceof JsonPrimitive p) || !p.isNumber()) {
            return -1;
        }
        BigDecimal d = new BigDecimal(p.getAsString());
        if (d.signum() < 0 || d.compareTo(BigDecimal.valueOf(1L << 53)) > 0 || d.stripTrailingZeros().scale() > 0) {
            return -1;
        }
        return d.longValueExact();
    }

    private static String stringField(JsonObject o, String name) {
        return o.get(name) instanceof JsonPrimitive p && p.isString() ? p.getAsString() : null;
    }
}
