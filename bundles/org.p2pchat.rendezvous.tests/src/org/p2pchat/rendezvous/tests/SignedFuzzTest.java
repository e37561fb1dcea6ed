package org.p2pchat.rendezvous.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.p2pchat.rendezvous.auth.SessionRequest;
import org.p2pchat.rendezvous.tests.TestServer.Reply;

/**
 * A few thousand generated malformed {@code /v1} requests (fixed seed): broken and mistyped JSON
 * under valid signatures or session MACs, broken signatures, session headers and session keys,
 * oversized bodies, bad query parameters
 * (of {@code /v1/signals} and {@code /v1/peers}), unknown routes and methods. Each gets a 4xx with
 * a JSON reason, none a 5xx or a hang, and the service answers {@code /health} afterwards with
 * nothing of it registered or queued.
 */
class SignedFuzzTest {

    private static final long SEED = 0x5EED_1L;
    private static final String TOKEN_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.~";
    /** Methods that a route does not take (HEAD left out: its answers have no body to check). */
    private static final Map<String, String[]> WRONG_METHODS = Map.of(
            "/v1/info", new String[] {"POST", "PUT", "DELETE", "PATCH"},
            "/v1/register", new String[] {"GET", "PUT", "PATCH", "FOO"},
            "/v1/peers", new String[] {"POST", "PUT", "DELETE"},
            "/v1/signal", new String[] {"GET", "PUT", "DELETE", "PATCH"},
            "/v1/signals", new String[] {"POST", "PUT", "DELETE", "PROPFIND"});

    private final Random random = new Random(SEED);
    private TestServer t;
    private TestPeer alice;
    private TestPeer bob;
    private TestPeer stranger;

    @Test
    void malformedSignedRequestsAllGet4xx() throws IOException {
        Set<Integer> statuses = new TreeSet<>();
        try (TestServer server = new TestServer()) {
            t = server;
            alice = new TestPeer(t);
            bob = new TestPeer(t);
            stranger = new TestPeer(t);
            alice.registerWithSession("alice", false);
            bob.registerWithSession("bob", false);
            assertTimeoutPreemptively(Duration.ofMinutes(3), () -> {
                for (int i = 0; i < 3600; i++) {
                    Reply reply = generate(i).get();
                    int status = reply.status();
                    assertTrue(status >= 400 && status < 500 && status != 429, () -> "case " + reply.response().request()
                            + " " + reply.response().request().headers().map() + " got " + status + ": " + reply.body());
                    assertTrue(reply.json().getAsJsonObject().has("error"), reply.body());
                    statuses.add(status);
                }
            });
            assertEquals(Set.of(400, 401, 403, 404, 405, 409, 413, 415), statuses, "every kind of refusal is reached");
            assertEquals(200, t.get("/health").status());
            t.get("/v1/peers").assertIs(200, TestServer.NO_LISTED_PEERS);
            alice.fetch(0).assertIs(200, "[]");
            bob.fetch(0).assertIs(200, "[]");
            assertEquals(2, t.server.statistics().v1Peers(), "no malformed registration got through");
            assertEquals(2, t.server.statistics().sessions(), "nor a session");
            alice.fetchUnderSession(0).assertIs(200, "[]");
        }
    }

    private Supplier<Reply> generate(int i) {
        switch (i % 9) {
            case 0:
                return wrongRoute();
            case 1:
                return malformedRegister();
            case 2:
                return malformedSignal();
            case 3:
                return badAuthorization();
            case 4:
                return oversized();
            case 5:
                return random.nextBoolean() ? badWait() : badPeersQuery();
            case 6:
                return badContentType();
            case 7:
                return random.nextBoolean() ? replay() : malformedSignal();
            default:
                return badSession();
        }
    }

    private Supplier<Reply> wrongRoute() {
        if (random.nextBoolean()) {
            String path = pick(WRONG_METHODS.keySet().toArray(new String[0]));
            String method = pick(WRONG_METHODS.get(path));
            return () -> alice.send(method, path, random.nextBoolean() ? null : "{}");
        }
        String path = pick("/v1", "/v1/x", "/v1/info/x", "/v1/peers/a/b", "/v1/signals/" + token(5),
                "/v1/registerx", "/v1/signal/x", "/v1/" + token(1 + random.nextInt(30)), "/v2/info");
        String method = pick("GET", "POST", "DELETE", "PUT");
        return () -> alice.send(method, path, method.equals("GET") ? null : "{}");
    }

    private Supplier<Reply> malformedRegister() {
        String valid = "{\"name\":\"n\",\"listed\":false}";
        String body = switch (random.nextInt(6)) {
            case 0 -> valid.replace("\"n\"", pick("1", "true", "[]", "{}", "null", "\"\"", "\"" + "x".repeat(65) + "\"",
                    "\"a\\nb\"", "\"\\u0000\"", "\"\\t\""));
            case 1 -> valid.replace("false", pick("1", "\"yes\"", "[]", "{}", "0", "\"false\""));
            case 2 -> valid.replace("{", "{\"from\":" + pick("\"" + bob.id + "\"", "1", "[]", "\"x\"") + ",");
            case 3 -> valid.replace("{", "{\"sessionKey\":" + pick("1", "true", "[]", "{}", "\"\"",
                    "\"" + token(43) + "=\"",
                    "\"" + token(random.nextInt(42)) + "\"", "\"" + token(44 + random.nextInt(10)) + "\"",
                    "\"" + "A".repeat(43) + "\"", "\"AQ" + "A".repeat(41) + "\"", "\"" + token(42) + "!\"") + ",");
            default -> malformedJson(valid);
        };
        // Under the session as often as signed (a sessionKey under a session is 401 whatever it is).
        boolean underSession = random.nextBoolean();
        return () -> underSession ? alice.sendUnderSession("POST", "/v1/register", body)
                : alice.send("POST", "/v1/register", body);
    }

    private Supplier<Reply> malformedSignal() {
        String valid = "{\"to\":\"" + bob.id + "\",\"type\":\"offer\",\"payload\":\"p\"}";
        if (random.nextInt(12) == 0) {
            return () -> stranger.send("POST", "/v1/signal", valid); // 409: not registered
        }
        String body = switch (random.nextInt(7)) {
            case 0 -> valid.replace("\"" + bob.id + "\"", pick("1", "true", "[]", "{}", "null", "\"\"",
                    "\"" + stranger.id + "\"", "\"" + token(20) + "\"", "\"" + alice.id + "x\""));
            case 1 -> valid.replace("\"offer\"", pick("\"hello\"", "\"OFFER\"", "1", "[]", "\"\"", "null",
                    "\"" + token(8) + "\""));
            case 2 -> valid.replace("\"p\"", pick("1", "{}", "[\"p\"]", "\"\"", "null", "false"));
            case 3 -> valid.replace("{", "{\"from\":" + pick("\"" + bob.id + "\"", "\"" + stranger.id + "\"",
                    "1", "null", "{}") + ",");
            default -> malformedJson(valid);
        };
        boolean underSession = random.nextBoolean();
        return () -> underSession ? alice.sendUnderSession("POST", "/v1/signal", body)
                : alice.send("POST", "/v1/signal", body);
    }

    private String malformedJson(String valid) {
        return switch (random.nextInt(7)) {
            case 0 -> valid.substring(0, random.nextInt(valid.length()));
            case 1 -> valid + pick(",", "}", " x", "{}", "]", "[]");
            case 2 -> valid.replace("\"", "'");
            case 3 -> pick("[]", "\"x\"", "42", "null", "true", " ", "{\"name\"}", "{,}", "nul");
            case 4 -> valid.replaceFirst("}$", ",\"deep\":" + "[".repeat(300 + random.nextInt(3000))
                    + "]".repeat(1) + "}");
            case 5 -> valid.replace(":", pick("=", "::", ""));
            default -> {
                StringBuilder noise = new StringBuilder();
                for (int n = random.nextInt(100); n >= 0; n--) {
                    noise.append((char) (0x20 + random.nextInt(0x5F)));
                }
                yield noise.toString().replace("{", "").replace("\\", "");
            }
        };
    }

    private Supplier<Reply> badAuthorization() {
        String path = pick("/v1/signals?wait=0", "/v1/register");
        String method = path.equals("/v1/register") ? pick("POST", "DELETE") : "GET";
        byte[] body = method.equals("POST") ? "{\"name\":\"n\",\"listed\":false}".getBytes(StandardCharsets.UTF_8) : null;
        TestPeer signer = pick(alice, bob);
        long now = t.clock.get();
        String nonce = TestPeer.freshNonce();
        String key = signer.id;
        String sig = signer.sign(method, path, now, nonce, body);
        String header = switch (random.nextInt(10)) {
            case 0 -> header(key, now, nonce, corrupt(sig, sig.length() - 1));
            case 1 -> header(corrupt(key, key.length()), now, nonce, sig);
            case 2 -> header(key, now + 1 + random.nextInt(1000), nonce, sig);
            case 3 -> header(key, now, nonce + pick("a", "b", "_"), sig);
            case 4 -> header(key, now + pick(-1, 1) * (30_001L + random.nextInt(10_000_000)), nonce, sig);
            case 5 -> header((signer == alice ? bob : alice).id, now, nonce, sig); // someone else's key
            case 6 -> pick("p2pchat-ed25519", "P2PChat-Ed448", "Basic", "Bearer") + header(key, now, nonce, sig)
                    .substring("P2PChat-Ed25519".length());
            case 7 -> header(key, now, nonce, sig).replace(pick("key=", "svc=", "ts=", "nonce=", "sig="), pick("", "x=", "k="));
            case 8 -> token(random.nextInt(200));
            default -> header(key, now, pick("", "a b", "a/b", "=", token(70)), sig);
        };
        return () -> t.send(signer.request(method, path, body, header));
    }

    /** Broken session headers (and a session header where a signature is required). */
    private Supplier<Reply> badSession() {
        String path = pick("/v1/signals?wait=0", "/v1/register", "/v1/signal");
        String method = path.startsWith("/v1/signals") ? "GET" : path.equals("/v1/signal") ? "POST"
                : pick("POST", "DELETE");
        String json = path.equals("/v1/signal") ? "{\"to\":\"" + bob.id + "\",\"type\":\"offer\",\"payload\":\"p\"}"
                : method.equals("POST") ? "{\"name\":\"n\",\"listed\":false}" : null;
        if (method.equals("POST") && path.equals("/v1/register") && random.nextInt(4) == 0) {
            // A valid MAC over a registration that opens a new session: only a signature may.
            String opening = TestPeer.registration("n", false, TestPeer.rawKey(TestPeer.x25519().getPublic()));
            return () -> alice.sendUnderSession("POST", "/v1/register", opening);
        }
        byte[] body = json == null ? null : json.getBytes(StandardCharsets.UTF_8);
        TestPeer peer = pick(alice, bob);
        long now = t.clock.get();
        String nonce = TestPeer.freshNonce();
        String id = peer.sessionId;
        String mac = SessionRequest.mac(peer.macKey, t.serviceId(), method, path, now, nonce, body);
        String header = switch (random.nextInt(12)) {
            case 0 -> session(id, now, nonce, corrupt(mac, mac.length() - 1));
            case 1 -> session(corrupt(id, id.length() - 1), now, nonce, mac); // unknown session
            case 2 -> session(id, now + 1 + random.nextInt(1000), nonce, mac);
            case 3 -> session(id, now, nonce + pick("a", "b", "_"), mac);
            case 4 -> session(id, now + pick(-1, 1) * (30_001L + random.nextInt(10_000_000)), nonce, mac);
            case 5 -> session((peer == alice ? bob : alice).sessionId, now, nonce, mac); // someone else's session
            case 6 -> pick("p2pchat-session", "P2PChat-Sessions", "Session", "P2PChat-Session,")
                    + session(id, now, nonce, mac).substring(SessionRequest.SCHEME.length());
            case 7 -> session(id, now, nonce, mac).replace(pick("id=", "ts=", "nonce=", "mac="), pick("", "x=", "k="));
            case 8 -> session(id, now, nonce, mac) + pick(", id=" + id, ", sig=" + mac, ",", ", x");
            case 9 -> session(pick("", "a", token(21), token(23), id + "=", "!".repeat(22)), now, nonce, mac);
            case 10 -> session(id, pick("", "1e3", "-", "0x10", token(5)), nonce, mac);
            default -> session(id, now, nonce, pick("", mac.substring(1), mac + "A", token(43).replace('_', '+')));
        };
        return () -> t.send(peer.request(method, path, body, header));
    }

    private static String session(String id, Object ts, String nonce, String mac) {
        return SessionRequest.SCHEME + " id=" + id + ", ts=" + ts + ", nonce=" + nonce + ", mac=" + mac;
    }

    private String header(String key, long ts, String nonce, String sig) {
        return "P2PChat-Ed25519 key=" + key + ", svc=" + t.serviceId() + ", ts=" + ts + ", nonce=" + nonce + ", sig="
                + sig;
    }

    /** The text with one character before {@code end} replaced by a different base64url character. */
    private String corrupt(String text, int end) {
        int at = random.nextInt(end);
        char replacement;
        do {
            replacement = TOKEN_CHARS.charAt(random.nextInt(64));
        } while (replacement == text.charAt(at));
        return text.substring(0, at) + replacement + text.substring(at + 1);
    }

    private Supplier<Reply> oversized() {
        String path = pick("/v1/register", "/v1/signal", "/v1/register", "/v1/signals?wait=0");
        String method = path.startsWith("/v1/signals") ? "GET" : path.equals("/v1/signal") ? "POST" : pick("POST", "DELETE");
        byte[] body = ("{\"name\":\"" + "n".repeat(65_536 + random.nextInt(100_000)) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        String header = alice.authorization(method, path, body);
        HttpRequest.Builder request = alice.request(method, path, body, header);
        if (random.nextBoolean()) { // chunked: no Content-Length, the limit applies while reading
            request.method(method, HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)));
        }
        return () -> t.send(request);
    }

    private Supplier<Reply> badWait() {
        String query = pick("wait=31", "wait=-1", "wait=abc", "wait=", "wait=1&wait=2", "x=1", "wait=1.5", "wait=%31",
                "wait=007", "wait=99", "wait=1&x=2", "&", "wait", "WAIT=1", "wait=" + token(3));
        return () -> alice.send("GET", "/v1/signals?" + query, null);
    }

    private Supplier<Reply> badPeersQuery() {
        String query = pick("limit=0", "limit=1001", "limit=-1", "limit=abc", "limit=", "limit=1.5", "limit=007",
                "limit=%31", "limit=99999", "limit=1&limit=2", "after=", "after=a&after=b", "after=%C3", "after=%C3%28",
                "x=1", "limit=5&x=2", "&", "limit", "LIMIT=5", "limit=5&", "after=" + token(5) + "&limit=0",
                "limit=" + token(3) + "x");
        // A malformed escape ("%zz") cannot be sent by HttpClient; FuzzTest sends it raw.
        return () -> t.get("/v1/peers?" + query);
    }

    private Supplier<Reply> badContentType() {
        String path = pick("/v1/register", "/v1/signal");
        byte[] body = (path.equals("/v1/register") ? "{\"name\":\"n\",\"listed\":false}"
                : "{\"to\":\"" + bob.id + "\",\"type\":\"offer\",\"payload\":\"p\"}").getBytes(StandardCharsets.UTF_8);
        String header = alice.authorization("POST", path, body);
        HttpRequest.Builder request = t.request(path).header("Authorization", header)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        String type = pick("text/plain", "application/x-www-form-urlencoded", "application/json; charset=iso-8859-1",
                "application/jsonx", null);
        if (type != null) {
            request.header("Content-Type", type);
        }
        return () -> t.send(request);
    }

    private Supplier<Reply> replay() {
        HttpRequest.Builder request = alice.signed("GET", "/v1/signals?wait=0", null);
        Reply first = t.send(request);
        assertEquals(200, first.status(), first.body());
        assertEquals("[]", first.body());
        return () -> t.send(request);
    }

    private String token(int length) {
        StringBuilder token = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            token.append(TOKEN_CHARS.charAt(random.nextInt(TOKEN_CHARS.length())));
        }
        return token.toString();
    }

    @SafeVarargs
    private <T> T pick(T... choices) {
        return choices[random.nextInt(choices.length)];
    }
}
