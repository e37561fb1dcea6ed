package org.p2pchat.core.signaling;

import org.osgi.annotation.versioning.ConsumerType;

/** Events of a {@link DirectoryMembership}; called on the provider's threads. */
@ConsumerType
public interface DirectoryListener {

    /** A peer asks to connect. */
    default void incoming(IncomingRequest request) {
    }

    /** A request we were shown went away unanswered (the requester gave up or the offer expired). */
    default void withdrawn(IncomingRequest request) {
    }

    /** A service's state changed (registered, unreachable, re-registered after a restart). */
    default void serviceChanged(ServiceStatus status) {
    }
}
