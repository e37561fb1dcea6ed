package org.p2pchat.files.bt.internal;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * What the transfer protocol knows of one session with a peer: the nonces that bind resume
 * proofs to it, what the peer said about itself, and how to send it a control message. The
 * session itself (WebRTC in {@link PeerLink}) stays behind {@link #send} and {@link #isConnected},
 * so {@link TransferProtocol} can be driven without one.
 */
public abstract class ControlSession {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** Sent in our hello; the peer's attach proofs are computed over it. */
    final String nonce;
    volatile String peerNonce;
    volatile String peerName;
    /**
     * The identity key the session's peer proved, as the client told us; null while unknown, ""
     * if it was told two different keys. Transfers resume only with the key they were made with.
     */
    volatile String peerKey;
    /** Whether our resume proofs went out on this session (engine thread). */
    boolean attachesSent;
    /** The peer's attach messages that came before its key was known (engine thread). */
    final List<Control.Message> heldAttaches = new ArrayList<>();
    volatile boolean helloSent;
    /** Set when the peer's client never answered an offer: it has no file transfer. */
    volatile boolean peerLacksFiles;
    volatile boolean closed;

    protected ControlSession() {
        byte[] n = new byte[16];
        RANDOM.nextBytes(n);
        this.nonce = Base64.getEncoder().encodeToString(n);
    }

    /** Sends one control message to the peer; may block, so never on libwebrtc's thread. */
    public abstract void send(Control.Message message) throws IOException;

    /** Whether the session is up now. */
    public abstract boolean isConnected();

    /** The name this session introduces us by, or null for the profile's. */
    public abstract String displayName();

    /** Whether the session ended (nothing is sent on it any more). */
    public boolean isClosed() {
        return closed;
    }

    /** The session ended. */
    public void close() {
        closed = true;
    }

    /** The nonce of our hello on this session. */
    public String nonce() {
        return nonce;
    }

    /** A nonce as we send them: base64 of 16 to 48 bytes. */
    static boolean isNonce(String s) {
        return s.length() >= 24 && s.length() <= 64 && s.chars().allMatch(c -> c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z'
                || c >= '0' && c <= '9' || c == '+' || c == '/' || c == '=');
    }

    /** The key the session's peer proved; null while unknown, or if the session was given two keys. */
    String verifiedKey() {
        String key = peerKey;
        return key == null || key.isEmpty() ? null : key;
    }
}
