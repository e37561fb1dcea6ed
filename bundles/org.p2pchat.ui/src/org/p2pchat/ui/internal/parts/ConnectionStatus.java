package org.p2pchat.ui.internal.parts;

import org.eclipse.swt.graphics.Color;
import org.p2pchat.client.core.ConversationState;
import org.p2pchat.core.CandidatePath;
import org.p2pchat.core.ConnectionState;

/**
 * How a live conversation's connection stands (its state, its session's, an automatic reconnection
 * under way or given up, the path), and what the chat says about it: the banner over the messages,
 * the status line, and the line a change adds to the conversation. No widgets: {@link ChatView}
 * shows what this says.
 */
final class ConnectionStatus {

    private ConversationState conversation = ConversationState.NEGOTIATING;
    private ConnectionState connection = ConnectionState.NEW;
    private CandidatePath path;
    private ChatView.Recovery recovery = ChatView.Recovery.NONE;
    /** The reconnection attempt under way; 0 when none is. */
    private int attempt;
    private int attempts;
    /** Why reconnecting gave up; null while it has not. */
    private String reconnectFailure;

    /** A conversation is shown from now on, in these states; nothing of an earlier one is kept. */
    void start(ConversationState state, ConnectionState connectionState, ChatView.Recovery how) {
        conversation = state;
        connection = connectionState;
        recovery = how;
        path = null;
        attempt = 0;
        reconnectFailure = null;
    }

    /**
     * The conversation's state, with its current session's, changed.
     *
     * @return the line the conversation says about it, or null
     */
    String changed(ConversationState state, ConnectionState connectionState, String who) {
        conversation = state;
        if (connectionState == connection) {
            return null;
        }
        ConnectionState before = connection;
        connection = connectionState;
        if (connectionState == ConnectionState.CONNECTED && before == ConnectionState.DISCONNECTED) {
            return "The connection is back.";
        }
        if (attempt == 0 && state != ConversationState.RECONNECTING
                && !(connectionState == ConnectionState.FAILED && recovery == ChatView.Recovery.RECONNECTS)) {
            return banner(who); // else the attempts say it
        }
        return null;
    }

    /** Reconnection attempt {@code n} of {@code of} has started; returns the line to add, or null. */
    String reconnecting(int n, int of, String who) {
        attempt = n;
        attempts = of;
        reconnectFailure = null;
        return n == 1 ? banner(who) : null;
    }

    /** An attempt failed, the last one if {@code last}; returns the line to add. */
    String attemptFailed(int n, String reason, boolean last, String who) {
        if (!last) {
            return "Reconnection attempt " + n + " failed: " + reason;
        }
        attempt = 0;
        reconnectFailure = reason;
        return banner(who);
    }

    /** The connection is back; returns the line to add. */
    String reconnected() {
        attempt = 0;
        reconnectFailure = null;
        return "Reconnected.";
    }

    /** We left: no attempt is under way any more. */
    void left() {
        attempt = 0;
        conversation = ConversationState.ENDED;
    }

    void path(CandidatePath newPath) {
        path = newPath;
    }

    boolean isFinal() {
        return conversation.isFinal();
    }

    boolean isConnected() {
        return connection == ConnectionState.CONNECTED;
    }

    /** Whether the conversation waits for a connection to come back. */
    boolean isReconnecting() {
        return conversation == ConversationState.RECONNECTING || attempt > 0;
    }

    /** Whether the way back (a new connection) is offered: not while we are asking again. */
    boolean offersNewConnection() {
        boolean waiting = conversation == ConversationState.RECONNECTING && connection != ConnectionState.FAILED;
        return attempt == 0 && !waiting;
    }

    /** Whether the banner says something went wrong for good (red). */
    boolean alarming() {
        return reconnectFailure != null || connection == ConnectionState.CLOSED;
    }

    /** The banner over the messages; null when all is well. */
    String banner(String who) {
        if (reconnectFailure != null) {
            return "Could not reconnect to " + who + " (" + reconnectFailure + "). Start a new connection to chat again.";
        }
        if (attempt > 0) {
            return "Connection lost \u2014 reconnecting (attempt " + attempt + " of " + attempts + ")\u2026";
        }
        return switch (connection) {
            case DISCONNECTED -> recovery == ChatView.Recovery.NONE
                    ? "The connection was interrupted. It may come back by itself; if it does not, start a new exchange "
                            + "(a manual exchange has no way to reconnect by itself)."
                    : "The connection was interrupted. It may come back by itself; if it fails, P2P Chat reconnects "
                            + "through the directory.";
            case FAILED -> switch (recovery) {
                case NONE -> "The connection failed. It cannot be made again automatically: a manual exchange has no "
                        + "signaling path to carry a new offer and answer. Start a new exchange to chat again.";
                case AWAITS -> conversation.isFinal()
                        ? "The connection failed and " + who + " did not reconnect. Start a new connection to chat again."
                        : "Connection lost \u2014 waiting for " + who + " to reconnect through the directory\u2026";
                case RECONNECTS -> "Connection lost \u2014 reconnecting\u2026";
            };
            case CLOSED -> "The conversation has ended. Start a new connection to chat again.";
            default -> conversation == ConversationState.RECONNECTING ? "Reconnecting to " + who + "\u2026" : null;
        };
    }

    /** The status line. */
    String statusText(String who) {
        if (isReconnecting() && !isConnected()) {
            return "\u21bb Reconnecting to " + who + "...";
        }
        return switch (connection) {
            case NEW, CONNECTING -> "Connecting to " + who + "...";
            case CONNECTED -> "\u25cf Connected to " + who + (path == null ? "" : " \u00b7 " + path.description());
            case DISCONNECTED -> "\u25cb Connection to " + who + " lost";
            case FAILED -> "\u25cb Connection failed";
            case CLOSED -> "\u25cb Disconnected";
        };
    }

    Color statusColour() {
        return isReconnecting() && !isConnected() ? Ui.WARNING : isConnected() ? Ui.GOOD : Ui.ERROR;
    }

    /** The status line's tooltip: the path in full; null before one is chosen. */
    String statusTip() {
        return path == null ? null : "Path: " + path;
    }
}
