package org.p2pchat.core.identity;

/**
 * What travels with an offer or answer: the sender's identity, a fresh nonce, and a signature over
 * the description's type, its DTLS fingerprints and the nonce. A changed fingerprint (a man in the
 * middle terminating DTLS) breaks the signature.
 *
 * @param identity  the sender's public identity
 * @param nonce     16 random bytes, base64url; never accepted twice
 * @param signature Ed25519 signature, base64url
 */
public record IdentityProof(PublicIdentity identity, String nonce, String signature) {
}
