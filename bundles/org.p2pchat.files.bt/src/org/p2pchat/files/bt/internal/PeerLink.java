package org.p2pchat.files.bt.internal;

import java.io.IOException;
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
final class PeerLink extends ControlSession implements PeerSessionListener {

    static final String BRIDGE_LABEL_PREFIX = "p2pchat-bt/";
    private static final long OPEN_TIMEOUT_SECONDS = 15;

    final PeerSession session;
    private final BtFileTransferService service;
    private PeerDataChannel out; // guarded by this

    PeerLink(PeerSession session, BtFileTransferService service) {
        this.session = session;
        this.service = service;
    }

    /** Sends one control message, opening our channel first if needed; blocks, so never on libwebrtc's thread. */
    @Override
    public synchronized void send(Control.Message message) throws IOException {
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
        Control.trace(this, "-> " + message.t + " " + message.id + " " + message.state);
        out.write(bytes, 0, bytes.length);
    }

    @Override
    public String displayName() {
        return session.displayName();
    }

    @Override
    public boolean isConnected() {
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

    @Override
    public synchronized void close() {
        super.close();
        if (out != null) {
            out.close();
        }
    }
}
