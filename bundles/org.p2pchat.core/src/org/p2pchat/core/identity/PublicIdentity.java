package org.p2pchat.core.identity;

import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A peer's long-term public identity key.
 *
 * @param key the Ed25519 public key, X.509-encoded, in base64url without padding
 */
public record PublicIdentity(String key) {

    public PublicIdentity {
        toPublicKey(key); // refuses anything that is not an Ed25519 key
    }

    public static PublicIdentity of(PublicKey key) {
        return new PublicIdentity(Base64.getUrlEncoder().withoutPadding().encodeToString(key.getEncoded()));
    }

    public PublicKey publicKey() {
        return toPublicKey(key);
    }

    /**
     * What people compare or recognise: the first 16 bytes of the key's SHA-256, as eight groups
     * of four hex digits.
     */
    public String fingerprint() {
        byte[] digest = sha256(Base64.getUrlDecoder().decode(key));
        String hex = HexFormat.of().withUpperCase().formatHex(digest, 0, 16);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < hex.length(); i += 4) {
            b.append(i == 0 ? "" : " ").append(hex, i, i + 4);
        }
        return b.toString();
    }

    private static PublicKey toPublicKey(String key) {
        try {
            byte[] der = Base64.getUrlDecoder().decode(key);
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
        } catch (IllegalArgumentException | NullPointerException | InvalidKeySpecException e) {
            throw new IllegalArgumentException("not an Ed25519 identity key", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java has no Ed25519", e);
        }
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
