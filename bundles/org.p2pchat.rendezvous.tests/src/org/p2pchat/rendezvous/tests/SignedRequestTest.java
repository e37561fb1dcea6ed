package org.p2pchat.rendezvous.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.p2pchat.core.identity.IdentityException;
import org.p2pchat.rendezvous.auth.SignedRequest;
import org.p2pchat.core.internal.identity.Ed25519IdentityService;

/** The rendezvous request signature: its header form, what it covers, and what is refused. */
class SignedRequestTest {

    private static final byte[] BODY = "{\"name\":\"alice\",\"listed\":true}".getBytes(StandardCharsets.UTF_8);
    /** A service's id as GET /v1/info gives it. */
    private static final String SVC = "c2VydmljZS1pZC1vbmU";

    @TempDir
    Path temp;

    @Test
    void theHeaderRoundTripsAndVerifies() throws Exception {
        Ed25519IdentityService alice = new Ed25519IdentityService(temp.resolve("a"));
        SignedRequest signed = SignedRequest.sign(alice.self(), alice::sign, SVC, "POST", "/v1/register", BODY);
        String header = signed.toHeader();
        assertTrue(header.startsWith("P2PChat-Ed25519 key=" + alice.self().key() + ", svc=" + SVC + ", ts="), header);
        SignedRequest parsed = SignedRequest.parseHeader(header);
        assertEquals(signed, parsed);
        assertTrue(parsed.verifies("POST", "/v1/register", BODY));
        assertTrue(parsed.verifies("post", "/v1/register", BODY), "the method is compared in upper case");
        assertTrue(Math.abs(parsed.timestampMillis() - System.currentTimeMillis()) < 60_000);
        assertTrue(parsed.nonce().matches("[A-Za-z0-9_-]{22}"), parsed.nonce());
        assertTrue(SignedRequest.parseHeader("  " + header + "  ").verifies("POST", "/v1/register", BODY),
                "surrounding white space is ignored");
    }

    @Test
    void everyNonceIsFresh() throws Exception {
        Ed25519IdentityService alice = new Ed25519IdentityService(temp.resolve("a"));
        SignedRequest first = SignedRequest.sign(alice.self(), alice::sign, SVC, "GET", "/v1/signals?wait=25", null);
        SignedRequest second = SignedRequest.sign(alice.self(), alice::sign, SVC, "GET", "/v1/signals?wait=25", null);
        assertFalse(first.nonce().equals(second.nonce()));
    }

    @Test
    void anyChangeToTheRequestIsDetected() throws Exception {
        Ed25519IdentityService alice = new Ed25519IdentityService(temp.resolve("a"));
        Ed25519IdentityService mallory = new Ed25519IdentityService(temp.resolve("m"));
        SignedRequest signed = SignedRequest.sign(alice.self(), alice::sign, SVC, "POST", "/v1/signal", BODY);
        assertTrue(signed.verifies("POST", "/v1/signal", BODY));

        assertFalse(signed.verifies("PUT", "/v1/signal", BODY), "method");
        assertFalse(signed.verifies("POST", "/v1/register", BODY), "path");
        assertFalse(signed.verifies("POST", "/v1/signal?x=1", BODY), "query");
        byte[] changed = BODY.clone();
        changed[10] ^= 1;
        assertFalse(signed.verifies("POST", "/v1/signal", changed), "body");
        assertFalse(signed.verifies("POST", "/v1/signal", null), "no body");
        assertFalse(new SignedRequest(signed.identity(), SVC, signed.timestampMillis() + 1, signed.nonce(), signed.signature())
                .verifies("POST", "/v1/signal", BODY), "timestamp");
        assertFalse(new SignedRequest(signed.identity(), SVC, signed.timestampMillis(), signed.nonce() + "A",
                signed.signature()).verifies("POST", "/v1/signal", BODY), "nonce");
        assertFalse(new SignedRequest(signed.identity(), "YW5vdGhlci1zZXJ2aWNl", signed.timestampMillis(),
                signed.nonce(), signed.signature()).verifies("POST", "/v1/signal", BODY), "another service");
        assertFalse(new SignedRequest(mallory.self(), SVC, signed.timestampMillis(), signed.nonce(), signed.signature())
                .verifies("POST", "/v1/signal", BODY), "another key");
        assertFalse(new SignedRequest(signed.identity(), SVC, signed.timestampMillis(), signed.nonce(), "not base64!")
                .verifies("POST", "/v1/signal", BODY), "garbage signature");
    }

    @Test
    void anEmptyBodyAndNoBodySignTheSame() throws Exception {
        Ed25519IdentityService alice = new Ed25519IdentityService(temp.resolve("a"));
        SignedRequest signed = SignedRequest.sign(alice.self(), alice::sign, SVC, "DELETE", "/v1/register", null);
        assertTrue(signed.verifies("DELETE", "/v1/register", new byte[0]));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "NONE                                              | missing Authorization header",
        "``                                                | missing Authorization header",
        "`   `                                             | missing Authorization header",
        "Bearer abc                                        | scheme must be P2PChat-Ed25519",
        "P2PChat-Ed25519                                          | scheme must be P2PChat-Ed25519",
        "P2PChat-Ed25519 key=K, svc=S, ts=1, nonce=n              | has no sig=",
        "P2PChat-Ed25519 key=K, svc=S, nonce=n, sig=s             | has no ts=",
        "P2PChat-Ed25519 svc=S, ts=1, nonce=n, sig=s              | has no key=",
        "P2PChat-Ed25519 key=K, svc=S, ts=1, nonce=, sig=s        | has no nonce=",
        "P2PChat-Ed25519 key=K, svc=S, ts=1, nonce=n, sig=s, junk | field without '=': junk",
        "P2PChat-Ed25519 key=abc, svc=S, ts=1, nonce=n, sig=s     | key= is not an Ed25519 identity key",
        "P2PChat-Ed25519 key=K, svc=S, ts=1.5, nonce=n, sig=s     | ts= is not a number",
        "P2PChat-Ed25519 key=K, svc=S, ts=1, nonce=a/b, sig=s     | nonce= must be base64url",
        "P2PChat-Ed25519 key=K, svc=S, ts=1, nonce=NONCE65, sig=s | nonce= must be base64url, at most 64 characters",
        "P2PChat-Ed25519 key=K, svc=S, ts=1, nonce=n, sig=LONG    | longer than 512 characters",
        "P2PChat-Ed25519 key=K, svc=a/b, ts=1, nonce=n, sig=s     | svc= must be a service id",
        "P2PChat-Ed25519 key=K, ts=1, nonce=n, sig=s              | has no svc=: requests must be bound",
    }, nullValues = "NONE")
    void aMalformedHeaderIsRefusedWithTheReason(String template, String reason) throws Exception {
        String key = new Ed25519IdentityService(temp.resolve("a")).self().key();
        String header = template == null ? null : template.replace("key=K", "key=" + key)
                .replace("NONCE65", "n".repeat(65)).replace("LONG", "s".repeat(500));
        IdentityException e = assertThrows(IdentityException.class, () -> SignedRequest.parseHeader(header));
        assertTrue(e.getMessage().contains(reason), () -> e.getMessage() + " should mention " + reason);
    }

    @Test
    void aRequestSignedForOneServiceDoesNotVerifyForAnother() throws Exception {
        Ed25519IdentityService alice = new Ed25519IdentityService(temp.resolve("a"));
        SignedRequest forA = SignedRequest.sign(alice.self(), alice::sign, SVC, "GET", "/v1/signals?wait=25", null);
        SignedRequest movedToB = SignedRequest.parseHeader(forA.toHeader().replace("svc=" + SVC, "svc=YW5vdGhlcg"));
        assertTrue(forA.verifies("GET", "/v1/signals?wait=25", null));
        assertFalse(movedToB.verifies("GET", "/v1/signals?wait=25", null));
    }
}
