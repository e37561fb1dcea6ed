package org.p2pchat.core.internal.profile;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The vault's cryptography, from the JDK alone: a 256-bit key derived from the passphrase with
 * PBKDF2-HMAC-SHA256 (random salt, a high iteration count kept with the salt), and AES-256-GCM for
 * each secret with a fresh 96-bit nonce. The secret's name is authenticated with it, so files
 * cannot be swapped; a sealed constant (the check) tells a wrong passphrase before anything is read.
 */
final class VaultCipher {

    static final String KDF = "PBKDF2WithHmacSHA256";
    /** OWASP's 2023 figure for PBKDF2-HMAC-SHA256; about 0.3 s on one core of a laptop. */
    static final int DEFAULT_ITERATIONS = 600_000;
    static final int SALT_BYTES = 16;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final String CONTEXT = "p2pchat-vault-v1\n";
    private static final byte[] CHECK = "p2pchat vault passphrase check".getBytes(StandardCharsets.US_ASCII);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKey key;

    private VaultCipher(SecretKey key) {
        this.key = key;
    }

    /** The key {@code passphrase} gives with these parameters. */
    static VaultCipher derive(char[] passphrase, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(passphrase, salt, iterations, 256);
        try {
            byte[] raw = SecretKeyFactory.getInstance(KDF).generateSecret(spec).getEncoded();
            try {
                return new VaultCipher(new SecretKeySpec(raw, "AES"));
            } finally {
                Arrays.fill(raw, (byte) 0);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this Java runtime lacks " + KDF, e);
        } finally {
            spec.clearPassword();
        }
    }

    static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    /** The check to keep with the salt: {@link #opensCheck} is true for this key only. */
    byte[] sealCheck() {
        return seal("check", CHECK);
    }

    boolean opensCheck(byte[] check) {
        try {
            return Arrays.equals(CHECK, open("check", check));
        } catch (AEADBadTagException e) {
            return false;
        }
    }

    /** Nonce followed by ciphertext and tag; {@code name} is authenticated with it. */
    byte[] seal(String name, byte[] plain) {
        byte[] nonce = randomBytes(NONCE_BYTES);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData(name));
            byte[] sealed = cipher.doFinal(plain);
            return ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /**
     * What {@link #seal} sealed under {@code name}.
     *
     * @throws AEADBadTagException if it was sealed with another key, under another name, or changed
     */
    byte[] open(String name, byte[] sealed) throws AEADBadTagException {
        if (sealed.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new AEADBadTagException("too short to be sealed");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE_BYTES));
            cipher.updateAAD(associatedData(name));
            return cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
        } catch (AEADBadTagException e) {
            throw e;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    private static byte[] associatedData(String name) {
        return (CONTEXT + name).getBytes(StandardCharsets.UTF_8);
    }
}
