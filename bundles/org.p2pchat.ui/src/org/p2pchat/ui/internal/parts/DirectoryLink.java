package org.p2pchat.ui.internal.parts;

import java.util.function.Supplier;

import org.eclipse.swt.widgets.Display;
import org.p2pchat.core.ConnectionState;
import org.p2pchat.core.PeerSession;
import org.p2pchat.core.signaling.DirectoryConnection;
import org.p2pchat.core.signaling.DirectoryMembership;
import org.p2pchat.core.signaling.IncomingRequest;

/**
 * A conversation made through a directory, and how it comes back when ICE gives up (the session
 * reports FAILED): the side that connected asks the peer again through the directory, up to
 * {@value #ATTEMPTS} times with growing pauses; the side that accepted waits, and accepts a
 * reconnect request that continues this conversation (same peer, service and API, proving the
 * same key) without asking its user. Lives on the UI thread.
 */
final class DirectoryLink {

    static final int ATTEMPTS = 5;

    private final ClientPart client;
    private final ChatView chat;
    /** The membership in use now (the user may have joined again with other options meanwhile). */
    private final Supplier<DirectoryMembership> membership;
    /** Whether we connected, and so are the side that asks again. */
    private final boolean asks;
    private DirectoryConnection current;
    private boolean everConnected;
    /** The attempt under way or about to start after its pause; 0 when not reconnecting. */
    private int attempt;
    /** The session of the attempt under way, once negotiated. */
    private PeerSession attemptSession;
    private boolean ended;

    DirectoryLink(ClientPart client, ChatView chat, Supplier<DirectoryMembership> membership, boolean asks) {
        this.client = client;
        this.chat = chat;
        this.membership = membership;
        this.asks = asks;
    }

    ChatView.Recovery recovery() {
        return asks ? ChatView.Recovery.RECONNECTS : ChatView.Recovery.AWAITS;
    }

    /** A session for this conversation was negotiated (the first, or a reconnection). */
    void connected(DirectoryConnection connection) {
        current = connection;
        if (connection.session().state() == ConnectionState.CONNECTED) {
            stateChanged(connection.session(), ConnectionState.CONNECTED); // it connected before we got here
        } else if (attempt > 0) {
            attemptSession = connection.session();
        }
    }

    /** Whether {@code request} continues this conversation (see {@link IncomingRequest#continues}). */
    boolean continuedBy(IncomingRequest request) {
        return !ended && request.continues(current);
    }

    /** The current session changed state. */
    void stateChanged(PeerSession s, ConnectionState state) {
        if (ended) {
            return;
        }
        if (state == ConnectionState.CONNECTED) {
            everConnected = true;
            attempt = 0;
            attemptSession = null;
        } else if (state == ConnectionState.FAILED && everConnected && asks) {
            if (attempt == 0) {
                start(1);
            } else if (s == attemptSession) {
                failed(attempt, "the new connection failed too");
            }
        }
    }

    private void start(int n) {
        DirectoryMembership m = membership.get();
        attempt = n;
        attemptSession = null;
        chat.reconnecting(n, ATTEMPTS);
        if (m == null) {
            failed(n, "the directory was left");
            return;
        }
        DirectoryConnection previous = current;
        client.negotiate("Reconnecting to " + DirectoryPanel.displayName(previous.peer()), this, true,
                listener -> m.reconnect(previous, listener), error -> failed(n, Ui.message(error)));
    }

    private void failed(int n, String reason) {
        if (ended || attempt != n) {
            return; // reported already, by the negotiation or by the session
        }
        if (n >= ATTEMPTS) {
            ended = true;
            attempt = 0;
            chat.reconnectFailed(reason);
            return;
        }
        chat.attemptFailed(n, reason);
        attempt = n + 1;
        long pauseMillis = 1000L << (n - 1); // 1, 2, 4, 8 s: a peer that is back soon is found soon
        Display.getCurrent().timerExec((int) pauseMillis, () -> {
            if (!ended && attempt == n + 1) {
                start(n + 1);
            }
        });
    }

    /** Our peer asks to connect again: accepted without asking the user. */
    void acceptReconnection(IncomingRequest request) {
        client.negotiate("Reconnecting with " + DirectoryPanel.displayName(request.from()), this, true, request::accept,
                error -> chat.notice("Could not accept " + DirectoryPanel.displayName(request.from())
                        + "'s reconnection: " + Ui.message(error)));
    }

    /** The conversation is over (disconnected, or another one started): no more reconnecting. */
    void end() {
        ended = true;
        attempt = 0;
    }
}
