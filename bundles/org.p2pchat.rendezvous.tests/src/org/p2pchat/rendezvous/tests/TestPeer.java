package org.p2pchat.rendezvous.tests;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;

import javax.crypto.KeyAgreement;

import org.p2pchat.core.identity.IdentityException;
import org.p2pchat.core.identity.PublicIdentity;
import org.p2pchat.rendezvous.auth.SessionRequest;
import org.p2pchat.rendezvous.auth.SignedRequest;
import org.p2pchat.rendezvous.tests.TestServer.Reply;

import com.google.gson.JsonObject;

/**
 * A peer of the authenticated API: an Ed25519 key pair made with the JDK that signs its requests
 * to a {@link TestServer} with the server's (movable) clock and a fresh nonce each time. After
 * {@link #registerWithSession} it can also send requests under its session, with an X25519
 * agreement made by the JDK (the client's side; the service uses Bouncy Castle).
 */
final class TestPeer {

    private static final SecureRandom RANDOM = new SecureRandom();

    final TestServer t;
    /** The client its requests go through: the server's own (from 127.0.0.1) unless given another. */
    final HttpClient client;
    final KeyPair keys;
    /** The peer's address: its identity key. */
    final String id;
    /** The session the last {@link #registerWithSession} opened; null before. */
    String sessionId;
    byte[] macKey;

    TestPeer(TestServer t) {
        this(t, t.client);
    }

    /** A peer whose requests go through {@code client} (e.g. {@link TestServer#clientFrom} another address). */
    TestPeer(TestServer t, HttpClient client) {
        this(t, client, newKeys());
    }

    /** The peer with these keys, e.g. the same identity on another server. */
    TestPeer(TestServer t, HttpClient client, KeyPair keys) {
        this.t = t;
        this.client = client;
        this.keys = keys;
        id = PublicIdentity.of(keys.getPublic()).key();
    }

    private static KeyPair newKeys() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    static String freshNonce() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The signature over a request, base64url. */
    String sign(String method, String pathAndQuery, long ts, String nonce, byte[] body) {
        try {
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(keys.getPrivate());
            signer.update(SignedRequest.signedBytes(t.serviceId(), method, pathAndQuery, ts, nonce, body));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(signer.sign());
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    /** An {@code Authorization} header value for a request signed now. */
    String authorization(String method, String pathAndQuery, byte[] body) {
        return authorization(method, pathAndQuery, body, t.clock.get(), freshNonce());
    }

    String authorization(String method, String pathAndQuery, byte[] body, long ts, String nonce) {
        return SignedRequest.SCHEME + " key=" + id + ", svc=" + t.serviceId() + ", ts=" + ts + ", nonce=" + nonce
                + ", sig=" + sign(method, pathAndQuery, ts, nonce, body);
    }

    /** A request with the given authorization and body (JSON content type if there is a body). */
    HttpRequest.Builder request(String method, String pathAndQuery, byte[] body, String authorization) {
        HttpRequest.Builder request = t.request(pathAndQuery).method(method, body == null
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return request;
    }

    /** A correctly signed request. */
    HttpRequest.Builder signed(String method, String pathAndQuery, String json) {
        byte[] body = json == null ? null : json.getBytes(StandardCharsets.UTF_8);
        return request(method, pathAndQuery, body, authorization(method, pathAndQuery, body));
    }

    Reply send(String method, String pathAndQuery, String json) {
        return send(signed(method, pathAndQuery, json));
    }

    /** Sends a request through this peer's client. */
    Reply send(HttpRequest.Builder request) {
        return t.send(client, request);
    }

    Reply register(String name, boolean listed) {
        JsonObject body = new JsonObject();
        body.addProperty("name", name);
        body.addProperty("listed", listed);
        return send("POST", "/v1/register", body.toString());
    }

    Reply unregister() {
        return send("DELETE", "/v1/register", null);
    }

    /**
     * A signed registration with a fresh X25519 {@code sessionKey}; keeps the session the service
     * opens (asserting that it opens one).
     */
    Reply registerWithSession(String name, boolean listed) {
        KeyPair x25519 = x25519();
        String sessionKey = rawKey(x25519.getPublic());
        Reply reply = send("POST", "/v1/register", registration(name, listed, sessionKey));
        if (reply.status() != 200) {
            throw new AssertionError("registering with a session: " + reply.status() + " " + reply.body());
        }
        JsonObject session = reply.json().getAsJsonObject().getAsJsonObject("session");
        if (session == null) {
            throw new AssertionError("no session in " + reply.body());
        }
        String serverKey = session.get("serverKey").getAsString();
        sessionId = session.get("id").getAsString();
        try {
            KeyAgreement agreement = KeyAgreement.getInstance("X25519");
            agreement.init(x25519.getPrivate());
            agreement.doPhase(x25519Key(serverKey), true);
            macKey = SessionRequest.macKey(agreement.generateSecret(), id, sessionId, sessionKey, serverKey);
        } catch (GeneralSecurityException | IdentityException e) {
            throw new AssertionError(e);
        }
        return reply;
    }

    static String registration(String name, boolean listed, String sessionKey) {
        JsonObject body = new JsonObject();
        body.addProperty("name", name);
        body.addProperty("listed", listed);
        if (sessionKey != null) {
            body.addProperty("sessionKey", sessionKey);
        }
        return body.toString();
    }

    static KeyPair x25519() {
        try {
            return KeyPairGenerator.getInstance("X25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    /** The raw 32-byte X25519 key, base64url: the end of its X.509 encoding. */
    static String rawKey(PublicKey key) {
        byte[] der = key.getEncoded();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOfRange(der, der.length - 32,
                der.length));
    }

    private static PublicKey x25519Key(String raw) throws GeneralSecurityException {
        byte[] der = HexFormat.of().parseHex("302a300506032b656e032100" + HexFormat.of().formatHex(
                Base64.getUrlDecoder().decode(raw)));
        return KeyFactory.getInstance("X25519").generatePublic(new X509EncodedKeySpec(der));
    }

    /** A session {@code Authorization} header value for a request made now. */
    String sessionAuthorization(String method, String pathAndQuery, byte[] body) {
        return sessionAuthorization(method, pathAndQuery, body, t.clock.get(), freshNonce());
    }

    String sessionAuthorization(String method, String pathAndQuery, byte[] body, long ts, String nonce) {
        return SessionRequest.of(sessionId, macKey, t.serviceId(), method, pathAndQuery, body, ts, nonce).toHeader();
    }

    /** A request under the session. */
    HttpRequest.Builder underSession(String method, String pathAndQuery, String json) {
        byte[] body = json == null ? null : json.getBytes(StandardCharsets.UTF_8);
        return request(method, pathAndQuery, body, sessionAuthorization(method, pathAndQuery, body));
    }

    Reply sendUnderSession(String method, String pathAndQuery, String json) {
        return send(underSession(method, pathAndQuery, json));
    }

    Reply signalUnderSession(TestPeer to, String type, String payload) {
        JsonObject body = new JsonObject();
        body.addProperty("to", to.id);
        body.addProperty("type", type);
        body.addProperty("payload", payload);
        return sendUnderSession("POST", "/v1/signal", body.toString());
    }

    Reply fetchUnderSession(int waitSeconds) {
        return send(underSession("GET", "/v1/signals?wait=" + waitSeconds, null)
                .timeout(Duration.ofSeconds(waitSeconds + 10)));
    }

    Reply signal(TestPeer to, String type, String payload) {
        return signal(to.id, type, payload);
    }

    Reply signal(String to, String type, String payload) {
        JsonObject body = new JsonObject();
        body.addProperty("to", to);
        body.addProperty("type", type);
        body.addProperty("payload", payload);
        return send("POST", "/v1/signal", body.toString());
    }

    Reply fetch(int waitSeconds) {
        return send(fetchRequest(waitSeconds));
    }

    /** A fetch sent now whose answer arrives later. */
    CompletableFuture<Reply> fetchAsync(int waitSeconds) {
        return client.sendAsync(fetchRequest(waitSeconds).build(), HttpResponse.BodyHandlers.ofString())
                .thenApply(r -> new Reply(r.statusCode(), r.body(), r));
    }

    private HttpRequest.Builder fetchRequest(int waitSeconds) {
        return signed("GET", "/v1/signals?wait=" + waitSeconds, null).timeout(Duration.ofSeconds(waitSeconds + 10));
    }
}
