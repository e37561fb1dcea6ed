package org.p2pchat.rendezvous.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.p2pchat.rendezvous.tests.TestServer.Reply;

/**
 * A few thousand generated malformed requests (fixed seed): each gets a 4xx with a JSON reason,
 * none a 5xx or a hang, and the server answers {@code /health} afterwards.
 */
class FuzzTest {

    private static final long SEED = 0x5EED_4L;
    private static final List<String> TYPES =
            List.of("offer", "answer", "ice-candidate", "reconnect-offer", "reconnect-answer");

    private final Random random = new Random(SEED);

    @Test
    void malformedHttpRequestsAllGet4xx() throws IOException {
        Set<Integer> statuses = ConcurrentHashMap.newKeySet();
        try (TestServer t = new TestServer()) {
            assertTimeoutPreemptively(Duration.ofMinutes(3), () -> {
                for (int i = 0; i < 3000; i++) {
                    Supplier<Reply> request = generate(t, i);
                    Reply reply = request.get();
                    int status = reply.status();
                    assertTrue(status >= 400 && status < 500, () -> "case " + reply.response().request()
                            + " got " + status + ": " + reply.body());
                    assertTrue(reply.json().getAsJsonObject().has("error"), reply.body());
                    statuses.add(status);
                }
            });
            assertEquals(Set.of(400, 404, 405, 413, 415), statuses, "the fuzz reaches every kind of refusal");
            assertEquals(200, t.get("/health").status());
            assertEquals("[]", t.get("/peers").body(), "no malformed registration got through");
        }
    }

    @Test
    void garbageOnTheSocketNeverGets5xxOrHangs() throws IOException {
        try (TestServer t = new TestServer()) {
            int port = t.server.address().getPort();
            int answered = 0;
            for (int i = 0; i < 200; i++) {
                byte[] garbage = rawRequest();
                String status = exchangeRaw(port, garbage);
                assertTrue(status.isEmpty() || status.matches("HTTP/1\\.1 4\\d\\d.*"),
                        () -> new String(garbage, StandardCharsets.ISO_8859_1) + " -> " + status);
                answered += status.isEmpty() ? 0 : 1;
            }
            assertTrue(answered > 50, "most garbage gets a 4xx answer, not just a closed connection: " + answered);
            assertEquals(200, t.get("/health").status());
        }
    }

    private Supplier<Reply> generate(TestServer t, int i) {
        switch (i % 6) {
            case 0: {
                String method = pick("PUT", "DELETE", "PATCH", "PROPFIND", "FOO", "X" + random.nextInt(1000));
                String path = pick("/register", "/peers", "/signal", "/health", "/signal/p" + random.nextInt(9));
                return () -> t.method(method, path, random.nextBoolean() ? null : validRegister());
            }
            case 1: {
                String path = pick("/", "/x", "/signal/a/b", "/peers/x", "/registerx", "/health/" + i,
                        "/" + randomToken(1 + random.nextInt(30)).replace("%", "~"));
                return () -> t.method(random.nextBoolean() ? "GET" : "POST", path, "{}");
            }
            default: {
                boolean register = random.nextBoolean();
                byte[] body = malformedBody(register ? validRegister() : validSignal());
                String type = random.nextInt(20) == 0 ? pick("text/plain", "application/x-www-form-urlencoded", null)
                        : "application/json";
                return () -> t.post(register ? "/register" : "/signal", type, body);
            }
        }
    }

    private byte[] malformedBody(String valid) {
        switch (random.nextInt(10)) {
            case 0:
                return utf8(valid.substring(0, random.nextInt(valid.length())));
            case 1:
                return utf8(valid.replaceFirst(stringField(),
                        pick("1", "true", "[]", "{}", "null", "\"\"", "-0", "[\"a\"]")));
            case 2:
                return utf8(valid.replaceFirst(stringField(),
                        pick("1e999999999", "123456789012345678901234567890123456789", "-1.5E-400", "NaN")));
            case 3: {
                int depth = 256 + random.nextInt(20_000);
                return utf8(valid.replaceFirst("\"[a-z]+\"}$", "[".repeat(depth) + "]".repeat(depth) + "}"));
            }
            case 4: {
                byte[] bytes = utf8(valid);
                int at = 2 + random.nextInt(bytes.length - 3);
                bytes[at] = (byte) (int) pick(0xC3, 0xFF, 0x80, 0xED, 0xF8);
                return random.nextBoolean() ? bytes : withInvalidUtf8String(valid);
            }
            case 5: {
                byte[] bytes = new byte[random.nextInt(200)];
                random.nextBytes(bytes);
                return bytes;
            }
            case 6:
                return utf8(pick("[]", "\"x\"", "42", "null", "true", "{}", " ", "{\"peerId\"}", "{\"a\":1}{}"));
            case 7:
                return utf8(valid.replace("\"offer\"", "\"" + randomToken(5) + "\"")
                        .replace("\"n\"", "\"\"").replaceFirst("\"p\"", "7"));
            case 8:
                return utf8(valid.replace("\"", "'"));
            default:
                return random.nextInt(10) == 0 ? utf8("{\"peerId\":\"a\",\"name\":\"" + "x".repeat(70_000) + "\"}")
                        : utf8(valid + pick(",", "}", " x", "{}", "]"));
        }
    }

    /** A field value both valid bodies have and that must be a string: peerId/from "a", name/to. */
    private String stringField() {
        return pick("\"a\"", "\"[bn]\"");
    }

    private byte[] withInvalidUtf8String(String valid) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] bytes = utf8(valid);
        int quote = valid.indexOf("\"a\"") + 1;
        out.write(bytes, 0, quote);
        out.write(0xC3);
        out.write(0x28);
        out.write(bytes, quote, bytes.length - quote);
        return out.toByteArray();
    }

    private String validRegister() {
        return "{\"peerId\":\"a\",\"name\":\"n\"}";
    }

    private String validSignal() {
        return "{\"from\":\"a\",\"to\":\"b\",\"type\":\"" + TYPES.get(random.nextInt(TYPES.size()))
                + "\",\"payload\":\"p\"}";
    }

    private byte[] rawRequest() {
        return utf8(switch (random.nextInt(5)) {
            case 0 -> "GET " + pick("/signal/", "/v1/peers?after=") + "%" + randomToken(2)
                    + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
            case 1 -> "GET /signal/%C3%28%FF HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
            case 2 -> randomToken(random.nextInt(80)) + "\r\n\r\n";
            case 3 -> "POST /register HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + pick("-1", "abc", "99999999999999999999", "10") + "\r\n\r\n{\"peerId\"";
            default -> "GET /" + randomToken(10) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + randomToken(40) + "\r\n\r\n";
        });
    }

    /** Sends raw bytes to 127.0.0.1 and returns the status line, or "" if the server closed. */
    private static String exchangeRaw(int port, byte[] request) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(request);
            out.flush();
            socket.shutdownOutput();
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int c; (c = in.read()) >= 0 && c != '\r';) {
                line.append((char) c);
            }
            return line.toString();
        } catch (SocketTimeoutException e) {
            throw new AssertionError("server hung on " + new String(request, StandardCharsets.ISO_8859_1), e);
        } catch (IOException e) {
            return ""; // reset by the server: refused without an answer, which is fine
        }
    }

    private String randomToken(int length) {
        String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.~!$&'()*+,;=:@%";
        StringBuilder token = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            token.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return token.toString();
    }

    @SafeVarargs
    private <T> T pick(T... choices) {
        return choices[random.nextInt(choices.length)];
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
