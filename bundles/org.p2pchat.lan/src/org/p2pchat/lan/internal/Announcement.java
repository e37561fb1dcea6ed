package org.p2pchat.lan.internal;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.Signature;
import java.util.Base64;
import java.util.Objects;
import java.util.regex.Pattern;

import org.p2pchat.core.identity.PublicIdentity;
import org.p2pchat.core.text.DisplayNames;

import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

/**
 * One client's announcement on the local network, sent to the multicast group: who it is (its
 * identity key and name) and where it takes offers (a TCP address), no more. It is signed with the
 * identity key it names, over a context of its own, the time and a fresh nonce, so it cannot be
 * made for someone else's key, changed on the way, or replayed later (see {@link PeerTable}).
 *
 * @param identity        the announcer; its key signs the announcement
 * @param name            the name it goes by, cleaned, at most {@value #MAX_NAME_CODE_POINTS} code points
 * @param address         the IPv4 address where it takes offers, which is also where the datagram must come from
 * @param port            the TCP port where it takes offers
 * @param timestampMillis when it was signed
 * @param nonce           16 random bytes, base64url
 * @param signature       Ed25519 over {@link #signedBytes()}, base64url
 */
public record Announcement(PublicIdentity identity, String name, InetAddress address, int port, long timestampMillis,
        String nonce, String signature) {

    /** The signing context: {@code ProviderContext#sign} puts it in front of the signed bytes. */
    public static final String CONTEXT = "p2pchat-lan-announce-v1";
    /** An announcement is far smaller; a bigger datagram is refused unread. */
    public static final int MAX_BYTES = 1024;
    public static final int MAX_NAME_CODE_POINTS = 64;
    private static final int VERSION = 1;
    private static final Pattern BASE64URL = Pattern.compile("[A-Za-z0-9_-]{16,120}");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Signs with the identity key, as {@code ProviderContext#sign} does: over {@code context + "\n" + message}. */
    @FunctionalInterface
    public interface Signer {
        byte[] sign(String context, byte[] message);
    }

    /** Why a datagram is not an announcement we take. */
    public static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        private final Refusal refusal;

        public Refused(Refusal refusal, String message) {
            super(message);
            this.refusal = refusal;
        }

        public Refusal refusal() {
            return refusal;
        }
    }

    public Announcement {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(nonce, "nonce");
        Objects.requireNonNull(signature, "signature");
        name = name == null ? "" : name;
    }

    /** A fresh announcement of {@code self}, signed now. */
    public static Announcement sign(PublicIdentity self, String name, InetAddress address, int port, Signer signer) {
        return sign(self, name, address, port, System.currentTimeMillis(), signer);
    }

    /** An announcement of {@code self} signed as at {@code timestampMillis}. */
    public static Announcement sign(PublicIdentity self, String name, InetAddress address, int port,
            long timestampMillis, Signer signer) {
        byte[] nonceBytes = new byte[16];
        RANDOM.nextBytes(nonceBytes);
        String nonce = Base64.getUrlEncoder().withoutPadding().encodeToString(nonceBytes);
        String shown = DisplayNames.clean(name, MAX_NAME_CODE_POINTS);
        Announcement unsigned = new Announcement(self, shown, address, port, timestampMillis, nonce, "");
        byte[] signature = signer.sign(CONTEXT, unsigned.message());
        return new Announcement(self, shown, address, port, unsigned.timestampMillis, nonce,
                Base64.getUrlEncoder().withoutPadding().encodeToString(signature));
    }

    /** What the key signs: the context, a line break and {@link #message()}. */
    public byte[] signedBytes() {
        byte[] head = (CONTEXT + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] message = message();
        byte[] all = java.util.Arrays.copyOf(head, head.length + message.length);
        System.arraycopy(message, 0, all, head.length, message.length);
        return all;
    }

    private byte[] message() {
        return (VERSION + "\n" + identity.key() + "\n" + name + "\n" + address.getHostAddress() + "\n" + port + "\n"
                + timestampMillis + "\n" + nonce).getBytes(StandardCharsets.UTF_8);
    }

    /** Whether the key it names signed exactly this. */
    public boolean verifies() {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(identity.publicKey());
            s.update(signedBytes());
            return s.verify(Base64.getUrlDecoder().decode(signature));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    /** The datagram: compact JSON. */
    public byte[] toDatagram() {
        JsonObject o = new JsonObject();
        o.addProperty("v", VERSION);
        o.addProperty("key", identity.key());
        o.addProperty("name", name);
        o.addProperty("addr", address.getHostAddress());
        o.addProperty("port", port);
        o.addProperty("ts", timestampMillis);
        o.addProperty("nonce", nonce);
        o.addProperty("sig", signature);
        return o.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Reads a datagram, checking its form and its signature (not its age: {@link PeerTable} does).
     *
     * @throws Refused {@link Refusal#OVERSIZED}, {@link Refusal#MALFORMED} or {@link Refusal#BAD_SIGNATURE}
     */
    public static Announcement parse(byte[] data, int length) throws Refused {
        if (length > MAX_BYTES) {
            throw new Refused(Refusal.OVERSIZED, "a datagram of more than " + MAX_BYTES + " bytes");
        }
        Announcement a;
        try {
            JsonObject o = JsonParser.parseString(new String(data, 0, length, StandardCharsets.UTF_8)).getAsJsonObject();
            if (o.get("v").getAsInt() != VERSION) {
                throw new Refused(Refusal.MALFORMED, "announcement version " + o.get("v") + ", not " + VERSION);
            }
            String name = o.get("name").getAsString();
            if (!name.equals(DisplayNames.clean(name, MAX_NAME_CODE_POINTS))) {
                throw new Refused(Refusal.MALFORMED, "a name that is too long or holds invisible characters");
            }
            String nonce = o.get("nonce").getAsString();
            String signature = o.get("sig").getAsString();
            String addr = o.get("addr").getAsString();
            int port = o.get("port").getAsInt();
            if (!BASE64URL.matcher(nonce).matches() || !BASE64URL.matcher(signature).matches() || port < 1 || port > 65535
                    || !addr.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}")) {
                throw new Refused(Refusal.MALFORMED, "a malformed nonce, signature, address or port");
            }
            InetAddress address = InetAddress.getByName(addr); // a literal: never a lookup
            if (!(address instanceof Inet4Address) || address.isAnyLocalAddress() || address.isMulticastAddress()) {
                throw new Refused(Refusal.MALFORMED, "an address where no client can be: " + addr);
            }
            a = new Announcement(new PublicIdentity(o.get("key").getAsString()), name, address, port,
                    o.get("ts").getAsLong(), nonce, signature);
        } catch (Refused e) {
            throw e;
        } catch (JsonParseException | IllegalStateException | IllegalArgumentException | UnsupportedOperationException
                | NullPointerException | UnknownHostException e) {
            throw new Refused(Refusal.MALFORMED, "not an announcement (" + e.getClass().getSimpleName() + ")");
        }
        if (!a.verifies()) {
            throw new Refused(Refusal.BAD_SIGNATURE, "not signed by the key it names, " + a.identity.fingerprint());
        }
        return a;
    }
}
