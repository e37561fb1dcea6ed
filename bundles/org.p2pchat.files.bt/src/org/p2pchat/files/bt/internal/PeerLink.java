package org.p2pchat.files.bt.internal;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.p2pchat.core.ConnectionState;
import org.p2pchat.core.PeerDataChannel;
import org.p2pchat.core.PeerSession;
import org.p2pchat.core.PeerSessionListener;

/**
 * The file service's view of one session: the control channels (ours for sending, the peer's
 * for receiving), the nonces that bind resume proofs to this session, and what the peer said
 * about itself.
 */
final class PeerLink implements PeerSessionListener {

    static final String BRIDGE_LABEL_PREFIX = "p2pchat-bt/";
    private static final long OPEN_TIMEOUT_SECONDS = 15;
    private static final SecureRandom RANDOM = new SecureRandom();

    final PeerSession session;
    private final BtFileTransferService service;
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
    private PeerDataChannel out; // guarded by this

    PeerLink(PeerSession session, BtFileTransferService service) {
        this.session = session;
        this.service = service;
        byte[] n = new byte[16];
        RANDOM.nextBytes(n);
        this.nonce = Base64.getEncoder().encodeToString(n);
    }

    /** Sends one control message, opening our channel first if needed; blocks, so never on libwebrtc's thread. */
    synchronized void send(Control.Message message) throws IOException {
        if (closed) {
            throw new IOException("the connection is closed");
        }
        if (out == null || !out.isOpen()) {
            try {
                out = session.openDataChannel(Control.CHANNEL_LABEL).get(OPEN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                throw new IOException("could not open the file channel: " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            }
        }
        byte[] bytes = Control.encode(message);
        BtFileTransferService.trace(this, "-> " + message.t + " " + message.id + " " + message.state);
        out.write(bytes, 0, bytes.length);
    }

    /** A nonce as we send them: base64 of 16 to 48 bytes. */
    static boolean isNonce(String s) {
        return s.length() >= 24 && s.length() <= 64 && s.chars().allMatch(c -> c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z'
                || c >= '0' && c <= '9' || c == '+' || c == '/' || c == '=');
    }

    boolean isConnected() {
        return !closed && session.state() == ConnectionState.CONNECTED;
    }

    @Override
    public void stateChanged(PeerSession s, ConnectionState state) {
        if (state == ConnectionState.CONNECTED) {
            service.post(() -> service.linkConnected(this));
        } else if (state == ConnectionState.CLOSED || state == ConnectionState.FAILED) {
            service.post(() -> service.linkClosed(this));
        }
    }

    /** On libwebrtc's thread: attach receivers before returning so no byte is missed. */
    @Override
    public void dataChannelOpened(PeerSession s, PeerDataChannel channel) {
        String label = channel.label();
        if (Control.CHANNEL_LABEL.equals(label)) {
            Control.Reader reader = new Control.Reader(m -> service.post(() -> service.received(this, m)));
            channel.onReceive(bytes -> {
                try {
                    reader.accept(bytes);
                } catch (IOException e) {
                    channel.close(); // not our protocol: stop listening to it
                }
            });
        } else if (label.startsWith(BRIDGE_LABEL_PREFIX)) {
            service.bridgeOpened(this, label.substring(BRIDGE_LABEL_PREFIX.length()), channel);
        }
    }

    /** The web app offers files as WebTorrent magnets we cannot join: its user is told so. */
    @Override
    public void unknownMessage(PeerSession s, String type, String json) {
        if (WebAppNotice.FILE_OFFER_TYPE.equals(type)) {
            WebAppNotice.theirFileCannotCome(s, service.ourName(this), json);
        }
    }

    synchronized void close() {
        closed = true;
        if (out != null) {
            out.close();
        }
    }
}
