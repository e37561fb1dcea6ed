package org.p2pchat.rendezvous.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.p2pchat.core.identity.IdentityException;
import org.p2pchat.rendezvous.auth.SessionRequest;
import org.p2pchat.rendezvous.auth.SignedRequest;

/** The rendezvous session header: its form, the MAC key derivation both sides share, and what is refused. */
class SessionRequestTest {

    private static final byte[] BODY = "{\"to\":\"bob\",\"type\":\"offer\",\"payload\":\"x\"}"
            .getBytes(StandardCharsets.UTF_8);
    private static final String ID = "AAECAwQFBgcICQoLDA0ODw"; // 16 bytes
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private static byte[] counting(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (i + 1);
        }
        return bytes;
    }

    @Test
    void theDerivationAndTheMacAreHmacSha256AsSpecified() throws Exception {
        // Expected values computed with the JDK's javax.crypto.Mac ("HmacSHA256") over the spec's inputs.
        byte[] macKey = SessionRequest.macKey(counting(32), "IDKEY", "SESSIONID", "CLIENTKEY", "SERVERKEY");
        assertEquals("qtvE2EP_IiPxtiSKcAJ3jv9SuvDV4YFmUBAvTzhLfi0", B64.encodeToString(macKey));
        assertEquals("RIc8bNlRmwi5HRRqdzE_OR2PWWYm-ts6qiRBLbxv9UY", SessionRequest.mac(macKey, "SVC", "POST", "/v1/signal",
                1_700_000_000_000L, "bm9uY2U", "{\"x\":1}".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void bothSidesOfAnX25519AgreementDeriveTheSameKey() throws Exception {
        // RFC 7748, 6.1: both sides' agreement is this shared secret; each derives from what it
        // computed and the same base64url strings, and the service checks what the client made.
        byte[] shared = HexFormat.of().parseHex("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
        String clientKey = B64.encodeToString(HexFormat.of().parseHex(
                "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a"));
        String serverKey = B64.encodeToString(HexFormat.of().parseHex(
                "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f"));
        byte[] atClient = SessionRequest.macKey(shared.clone(), "KEY", ID, clientKey, serverKey);
        byte[] atServer = SessionRequest.macKey(shared.clone(), "KEY", ID, clientKey, serverKey);
        assertArrayEquals(atClient, atServer);
        assertEquals(32, atClient.length);

        SessionRequest request = SessionRequest.of(ID, atClient, "SVC", "POST", "/v1/signal", BODY, 1234, "bm9uY2U");
        assertTrue(request.verifies(atServer, "SVC", "POST", "/v1/signal", BODY));
        assertFalse(request.verifies(SessionRequest.macKey(shared, "KEY", ID, serverKey, clientKey), "SVC", "POST",
                "/v1/signal", BODY), "the keys' order matters");
    }

    @Test
    void anyChangedInputChangesTheKey() throws Exception {
        byte[] shared = counting(32);
        byte[] otherShared = counting(32);
        otherShared[31] ^= 1;
        List<byte[]> keys = List.of(
                SessionRequest.macKey(shared, "KEY", ID, "C", "S"),
                SessionRequest.macKey(otherShared, "KEY", ID, "C", "S"),
                SessionRequest.macKey(shared, "KEY2", ID, "C", "S"),
                SessionRequest.macKey(shared, "KEY", ID.replace('A', 'B'), "C", "S"),
                SessionRequest.macKey(shared, "KEY", ID, "C2", "S"),
                SessionRequest.macKey(shared, "KEY", ID, "C", "S2"),
                // The fields are separated: moving text from one to the next is another input.
                SessionRequest.macKey(shared, "KEY", ID, "CS", ""));
        Set<String> distinct = new HashSet<>();
        for (byte[] key : keys) {
            distinct.add(Arrays.toString(key));
        }
        assertEquals(keys.size(), distinct.size());
    }

    @Test
    void anAllZeroAgreementIsRefused() {
        IdentityException e = assertThrows(IdentityException.class,
                () -> SessionRequest.macKey(new byte[32], "KEY", ID, "C", "S"));
        assertTrue(e.getMessage().contains("low-order"), e.getMessage());
        assertThrows(IdentityException.class, () -> SessionRequest.macKey(new byte[31], "KEY", ID, "C", "S"));
    }

    @Test
    void theHeaderRoundTripsAndTheMacCoversTheRequest() throws Exception {
        byte[] macKey = counting(32);
        SessionRequest request = SessionRequest.of(ID, macKey, "SVC", "POST", "/v1/signal", BODY, 1_700_000_000_123L,
                "bm9uY2UxMjM0NTY3ODkw");
        String header = request.toHeader();
        assertEquals("P2PChat-Session id=" + ID + ", ts=1700000000123, nonce=bm9uY2UxMjM0NTY3ODkw, mac="
                + request.mac(), header);
        assertTrue(SessionRequest.isSessionHeader(header));
        assertFalse(SessionRequest.isSessionHeader(SignedRequest.SCHEME + " key=k, ts=1, nonce=n, sig=s"));
        assertFalse(SessionRequest.isSessionHeader(null));
        SessionRequest parsed = SessionRequest.parseHeader("  " + header + " ");
        assertEquals(request, parsed);
        assertTrue(parsed.verifies(macKey, "SVC", "POST", "/v1/signal", BODY));
        assertTrue(parsed.verifies(macKey, "SVC", "post", "/v1/signal", BODY), "the method is compared in upper case");

        byte[] otherKey = counting(32);
        otherKey[0] = 9;
        assertFalse(parsed.verifies(otherKey, "SVC", "POST", "/v1/signal", BODY));
        assertFalse(parsed.verifies(macKey, "SVC", "PUT", "/v1/signal", BODY));
        assertFalse(parsed.verifies(macKey, "SVC", "POST", "/v1/signal?x", BODY));
        assertFalse(parsed.verifies(macKey, "OTHER", "POST", "/v1/signal", BODY), "another service");
        assertFalse(parsed.verifies(macKey, "SVC", "POST", "/v1/signal", "{}".getBytes(StandardCharsets.UTF_8)));
        assertFalse(new SessionRequest(ID, request.timestampMillis() + 1, request.nonce(), request.mac())
                .verifies(macKey, "SVC", "POST", "/v1/signal", BODY));
        assertFalse(new SessionRequest(ID, request.timestampMillis(), "bm9uY2U", request.mac())
                .verifies(macKey, "SVC", "POST", "/v1/signal", BODY));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "``                                                     | missing Authorization header",
        "P2PChat-Ed25519 key=K, ts=1, nonce=N, sig=S            | scheme must be P2PChat-Session",
        "P2PChat-Session id=I, ts=1, nonce=N                    | has no mac=",
        "P2PChat-Session ts=1, nonce=N, mac=M                   | has no id=",
        "P2PChat-Session id=I, ts=1, nonce=N, mac=M, x=1        | exactly id=, ts=, nonce= and mac=",
        "P2PChat-Session id=I, id=I, ts=1, nonce=N, mac=M       | given twice",
        "P2PChat-Session id=I, ts=1, nonce=N, mac=M, extra      | field without '='",
        "P2PChat-Session id=I, ts=1, nonce=N, mac=M,            | field without '='",
        "P2PChat-Session id=abc, ts=1, nonce=N, mac=M           | id= must be a session id",
        "P2PChat-Session id=AAECAwQFBgcICQoLDA0OD+, ts=1, nonce=N, mac=M | id= must be a session id",
        "P2PChat-Session id=I, ts=soon, nonce=N, mac=M          | ts= is not a number",
        "P2PChat-Session id=I, ts=1, nonce=a/b, mac=M           | nonce= must be base64url",
        "P2PChat-Session id=I, ts=1, nonce=N, mac=short         | mac= must be an HMAC-SHA256",
    })
    void malformedHeadersAreRefusedWithTheReason(String template, String reason) {
        String header = template.replace("id=I", "id=" + ID).replace("nonce=N", "nonce=bm9uY2U")
                .replace("mac=M", "mac=" + "A".repeat(43));
        IdentityException e = assertThrows(IdentityException.class, () -> SessionRequest.parseHeader(header));
        assertTrue(e.getMessage().contains(reason), () -> e.getMessage() + " should mention " + reason);
    }

    @Test
    void anOverlongHeaderIsRefused() {
        String header = "P2PChat-Session id=" + ID + ", ts=1, nonce=" + "a".repeat(300) + ", mac=" + "A".repeat(43);
        IdentityException e = assertThrows(IdentityException.class, () -> SessionRequest.parseHeader(header));
        assertTrue(e.getMessage().contains("longer than"), e.getMessage());
    }
}
