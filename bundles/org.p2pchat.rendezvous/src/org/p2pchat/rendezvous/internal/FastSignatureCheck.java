package org.p2pchat.rendezvous.internal;

import java.util.Base64;

import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.p2pchat.rendezvous.auth.SignedRequest;

/**
 * Checks a signed request's Ed25519 signature with Bouncy Castle's RFC 8032 code rather than the
 * JDK's provider: the check bounds the signed API's throughput, and it is about 7 times faster
 * here (~100 µs against ~770 µs per signature on this machine kind). Same bytes as
 * {@link SignedRequest#verifies}, which clients and tests use.
 */
final class FastSignatureCheck {

    /** The X.509 encoding of an Ed25519 key: a fixed 12-byte header, then the 32-byte key. */
    private static final int X509_HEADER = 12;
    private static final int X509_LENGTH = X509_HEADER + Ed25519.PUBLIC_KEY_SIZE;

    private FastSignatureCheck() {
    }

    /** @param request a request whose key is already known to be a canonical Ed25519 key */
    static boolean verifies(SignedRequest request, String method, String pathAndQuery, byte[] body) {
        byte[] der;
        byte[] signature;
        try {
            der = Base64.getUrlDecoder().decode(request.identity().key());
            signature = Base64.getUrlDecoder().decode(request.signature());
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (der.length != X509_LENGTH || signature.length != Ed25519.SIGNATURE_SIZE) {
            return false;
        }
        byte[] signed = SignedRequest.signedBytes(request.service(), method, pathAndQuery, request.timestampMillis(),
                request.nonce(), body);
        return Ed25519.verify(signature, 0, der, X509_HEADER, signed, 0, signed.length);
    }
}
