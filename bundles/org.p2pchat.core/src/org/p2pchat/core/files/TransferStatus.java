package org.p2pchat.core.files;

import java.time.Duration;
import java.util.Optional;

/**
 * A snapshot of one transfer, as a client shows it.
 *
 * @param id             unique per transfer
 * @param peerName       who it is with
 * @param direction      sending or receiving
 * @param name           file name, or a summary such as "3 files"
 * @param totalBytes     size of everything in the transfer
 * @param doneBytes      verified bytes so far
 * @param bytesPerSecond recent speed; 0 when not moving
 * @param state          where it stands
 * @param problem        what went wrong, for {@link State#FAILED}; otherwise empty
 * @param path           how the bytes travel: {@value #PATH_DIRECT} or {@value #PATH_DATA_CHANNEL};
 *                       empty while none has been set up, or if the engine does not say
 * @param peerKey        the identity key the peer proved (base64url, as {@code PublicIdentity.key()}), to
 *                       which the transfer is bound; empty for a peer that proved none, or if the engine
 *                       does not say
 * @param created        when the transfer was offered (milliseconds since the epoch); 0 if not known
 */
public record TransferStatus(String id, String peerName, Direction direction, String name, long totalBytes,
        long doneBytes, double bytesPerSecond, State state, String problem, String path, String peerKey,
        long created) {

    /** An encrypted TCP connection straight to the peer on the local network (fastest). */
    public static final String PATH_DIRECT = "direct";
    /** Through the chat's own connection to the peer (works wherever the chat does). */
    public static final String PATH_DATA_CHANNEL = "data channel";

    public enum Direction {
        SENDING, RECEIVING
    }

    public enum State {
        /** Offered to us; waiting for the user to accept or decline. */
        OFFERED,
        /** We offered it; waiting for the peer to accept. */
        WAITING_FOR_PEER,
        RUNNING,
        PAUSED,
        /** The connection dropped; it continues where it stopped once the peer is back. */
        INTERRUPTED,
        /** All bytes are here; checking them before calling it done. */
        VERIFYING,
        DONE,
        DECLINED,
        CANCELLED,
        FAILED;

        public boolean isFinal() {
            return this == DONE || this == DECLINED || this == CANCELLED || this == FAILED;
        }
    }

    public TransferStatus {
        problem = problem == null ? "" : problem;
        path = path == null ? "" : path;
        peerKey = peerKey == null ? "" : peerKey;
    }

    /** A status that does not say whose key the transfer is bound to, nor when it was offered. */
    public TransferStatus(String id, String peerName, Direction direction, String name, long totalBytes,
            long doneBytes, double bytesPerSecond, State state, String problem, String path) {
        this(id, peerName, direction, name, totalBytes, doneBytes, bytesPerSecond, state, problem, path, "", 0);
    }

    /** A status that does not say which path the bytes take. */
    public TransferStatus(String id, String peerName, Direction direction, String name, long totalBytes,
            long doneBytes, double bytesPerSecond, State state, String problem) {
        this(id, peerName, direction, name, totalBytes, doneBytes, bytesPerSecond, state, problem, "");
    }

    /** Completed fraction, 0 to 1. */
    public double fraction() {
        return totalBytes <= 0 ? (state == State.DONE ? 1 : 0) : Math.min(1.0, (double) doneBytes / totalBytes);
    }

    /** Time left at the current speed; empty when not moving. */
    public Optional<Duration> remaining() {
        if (state != State.RUNNING || bytesPerSecond <= 0) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofMillis((long) ((totalBytes - doneBytes) / bytesPerSecond * 1000)));
    }
}
