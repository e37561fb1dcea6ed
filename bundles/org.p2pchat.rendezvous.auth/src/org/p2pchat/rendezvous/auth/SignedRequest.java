package org.p2pchat.rendezvous.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Signature;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

import org.p2pchat.core.identity.IdentityException;
import org.p2pchat.core.identity.PublicIdentity;

/**
 * The authentication of one request to a rendezvous service's authenticated API, carried in the
 * {@code Authorization} header as
 * {@code P2PChat-Ed25519 key=<identity>, svc=<service id>, ts=<ms>, nonce=<base64url>, sig=<base64url>}.
 *
 * <p>The signature covers a context string, the service's id (which the service publishes in
 * {@code GET /v1/info}), the method, the path with its query, the timestamp, the nonce and the
 * SHA-256 of the body, so a signed request cannot be moved to another service, another route,
 * another body or (with the service's nonce memory and time window) replayed.
 *
 * @param identity        the signer, which is also the peer's address on the service
 * @param service         the id of the service the request is meant for, as its {@code /v1/info} gives it
 * @param timestampMillis when the request was signed, milliseconds since the epoch
 * @param nonce           16 random bytes, base64url without padding
 * @param signature       Ed25519 signature, base64url without padding
 */
public record SignedRequest(PublicIdentity identity, String service, long timestampMillis, String nonce,
        String signature) {

    /** The authorization scheme name. */
    public static final String SCHEME = "P2PChat-Ed25519";
    /**
     * Why a header without {@code svc=} is refused: it comes from a client made before requests
     * were bound to one service.
     */
    public static final String UNBOUND = "Authorization has no svc=: requests must be bound to the service they are"
            + " meant for. Read the service's id from GET /v1/info and sign it with the request (svc=<id>); a client"
            + " that does not do this predates that rule and must be updated";

    /** Since the service's id is part of the signed bytes: v1's unbound bytes never verify as these. */
    private static final String CONTEXT = "p2pchat-rendezvous-v2";
    private static final int MAX_HEADER_CHARS = 512;
    private static final int MAX_SERVICE_CHARS = 64;
    private static final Pattern SERVICE_FIELD = Pattern.compile("[\\s,]svc\\s*=");

    public SignedRequest {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(nonce, "nonce");
        Objects.requireNonNull(signature, "signature");
    }

    /** Signs {@code context + "\n" + message} with an identity key: {@code IdentityService::sign}, {@code ProviderContext::sign}. */
    @FunctionalInterface
    public interface Signer {
        byte[] sign(String context, byte[] message);
    }

    /**
     * Signs a request for the service {@code service} (its id from {@code GET /v1/info}) with a
     * fresh nonce and the current time; put {@link #toHeader()} in its {@code Authorization} header.
     */
    public static SignedRequest sign(PublicIdentity self, Signer signer, String service, String method,
            String pathAndQuery, byte[] body) {
        byte[] nonceBytes = new byte[16];
        new java.security.SecureRandom().nextBytes(nonceBytes);
        String nonce = Base64.getUrlEncoder().withoutPadding().encodeToString(nonceBytes);
        long now = System.currentTimeMillis();
        byte[] all = signedBytes(service, method, pathAndQuery, now, nonce, body);
        int head = CONTEXT.length() + 1; // the signer puts the context and its line break back
        byte[] message = java.util.Arrays.copyOfRange(all, head, all.length);
        byte[] signature = signer.sign(CONTEXT, message);
        return new SignedRequest(self, service, now, nonce, Base64.getUrlEncoder().withoutPadding().encodeToString(signature));
    }

    /**
     * The bytes a signer signs (and a session's MAC covers) and a verifier checks.
     *
     * @param service the id of the service the request is meant for ({@code GET /v1/info})
     */
    public static byte[] signedBytes(String service, String method, String pathAndQuery, long timestampMillis,
            String nonce, byte[] body) {
        String bodyHash = Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(body == null ? new byte[0] : body));
        String text = CONTEXT + "\n" + service + "\n" + method.toUpperCase(Locale.ROOT) + "\n" + pathAndQuery + "\n"
                + timestampMillis + "\n" + nonce + "\n" + bodyHash;
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Whether the signature is the identity's over this service, method, path and body. */
    public boolean verifies(String method, String pathAndQuery, byte[] body) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(identity.publicKey());
            s.update(signedBytes(service, method, pathAndQuery, timestampMillis, nonce, body));
            return s.verify(Base64.getUrlDecoder().decode(signature));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    /** The {@code Authorization} header value. */
    public String toHeader() {
        return SCHEME + " key=" + identity.key() + ", svc=" + service + ", ts=" + timestampMillis + ", nonce=" + nonce
                + ", sig=" + signature;
    }

    /**
     * Reads an {@code Authorization} header value.
     *
     * @throws IdentityException saying what is wrong with it ({@link #UNBOUND} if it names no service)
     */
    public static SignedRequest parseHeader(String header) throws IdentityException {
        if (header != null && header.strip().startsWith(SCHEME + " ") && header.length() <= MAX_HEADER_CHARS
                && !SERVICE_FIELD.matcher(header).find()) {
            throw new IdentityException(UNBOUND);
        }
        AuthorizationFields fields = AuthorizationFields.parse(header, SCHEME, MAX_HEADER_CHARS,
                List.of("key", "svc", "ts", "nonce", "sig"));
        PublicIdentity identity;
        try {
            identity = new PublicIdentity(fields.get("key"));
        } catch (IllegalArgumentException e) {
            throw new IdentityException("Authorization key= is not an Ed25519 identity key");
        }
        String service = fields.get("svc");
        if (service.length() > MAX_SERVICE_CHARS || !AuthorizationFields.BASE64URL.matcher(service).matches()) {
            throw new IdentityException("Authorization svc= must be a service id (base64url, at most "
                    + MAX_SERVICE_CHARS + " characters) as GET /v1/info gives it");
        }
        long ts = fields.timestamp();
        String nonce = fields.nonce();
        return new SignedRequest(identity, service, ts, nonce, fields.get("sig"));
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
