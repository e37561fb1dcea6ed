package org.p2pchat.core;

import org.osgi.annotation.versioning.ConsumerType;

/** Events of a {@link PeerSession}; called on a transport thread. */
@ConsumerType
public interface PeerSessionListener {

    default void stateChanged(PeerSession session, ConnectionState state) {
    }

    /** A local candidate was gathered, for providers that trickle; the descriptions hold them too. */
    default void localCandidate(PeerSession session, IceCandidate candidate) {
    }

    default void pathSelected(PeerSession session, CandidatePath path) {
    }

    default void messageReceived(PeerSession session, ChatMessage message) {
    }

    /**
     * The peer's client acknowledged every sequenced message of ours up to {@code seq}: it stored
     * them. Its first acknowledgement on a session says what it had when the session opened.
     */
    default void acknowledged(PeerSession session, long seq) {
    }

    /**
     * A well-formed message of a type this client does not handle (for example a web app's file
     * offer). Reported, never fatal.
     *
     * @param type the message's {@code type} field
     * @param json the whole message as received
     */
    default void unknownMessage(PeerSession session, String type, String json) {
    }

    /** The peer opened a binary channel. */
    default void dataChannelOpened(PeerSession session, PeerDataChannel channel) {
    }

    /** Something went wrong that did not close the session (bad frame, malformed message). */
    default void problem(PeerSession session, String description) {
    }
}
