package org.p2pchat.core.identity;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The authentication of one request to a rendezvous service's authenticated API, carried in the
 * {@code Authorization} header as
 * {@code P2PChat-Ed25519 key=<identity>, ts=<ms>, nonce=<base64url>, sig=<base64url>}.
 *
 * <p>The signature covers a context string, the method, the path with its query, the timestamp,
 * the nonce and the SHA-256 of the body, so a signed request cannot be moved to another route,
 * another body or (with the service's nonce memory and time window) replayed.
 *
 * @param identity        the signer, which is also the peer's address on the service
 * @param timestampMillis when the request was signed, milliseconds since the epoch
 * @param nonce           16 random bytes, base64url without padding
 * @param signature       Ed25519 signature, base64url without padding
 */
public record SignedRequest(PublicIdentity identity, long timestampMillis, String nonce, String signature) {

    /** The authorization scheme name. */
    public static final String SCHEME = "P2PChat-Ed25519";

    private static final String CONTEXT = "p2pchat-rendezvous-v1";
    private static final int MAX_HEADER_CHARS = 512;

    public SignedRequest {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(nonce, "nonce");
        Objects.requireNonNull(signature, "signature");
    }

    /** The bytes a signer signs and a verifier checks. */
    public static byte[] signedBytes(String method, String pathAndQuery, long timestampMillis, String nonce, byte[] body) {
        String bodyHash = Base64.getUrlEncoder().withoutPadding().encodeToString(PublicIdentity.sha256(body == null ? new byte[0] : body));
        String text = CONTEXT + "\n" + method.toUpperCase(Locale.ROOT) + "\n" + pathAndQuery + "\n" + timestampMillis + "\n"
                + nonce + "\n" + bodyHash;
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Whether the signature is the identity's over this method, path and body. */
    public boolean verifies(String method, String pathAndQuery, byte[] body) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(identity.publicKey());
            s.update(signedBytes(method, pathAndQuery, timestampMillis, nonce, body));
            return s.verify(Base64.getUrlDecoder().decode(signature));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    /** The {@code Authorization} header value. */
    public String toHeader() {
        return SCHEME + " key=" + identity.key() + ", ts=" + timestampMillis + ", nonce=" + nonce + ", sig=" + signature;
    }

    /**
     * Reads an {@code Authorization} header value.
     *
     * @throws IdentityException saying what is wrong with it
     */
    public static SignedRequest parseHeader(String header) throws IdentityException {
        AuthorizationFields fields = AuthorizationFields.parse(header, SCHEME, MAX_HEADER_CHARS,
                List.of("key", "ts", "nonce", "sig"));
        PublicIdentity identity;
        try {
            identity = new PublicIdentity(fields.get("key"));
        } catch (IllegalArgumentException e) {
            throw new IdentityException("Authorization key= is not an Ed25519 identity key");
        }
        long ts = fields.timestamp();
        String nonce = fields.nonce();
        return new SignedRequest(identity, ts, nonce, fields.get("sig"));
    }
}
