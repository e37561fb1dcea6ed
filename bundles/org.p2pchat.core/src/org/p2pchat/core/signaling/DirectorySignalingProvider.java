package org.p2pchat.core.signaling;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A provider that finds peers through rendezvous ("DHT") directory services: it registers us, lists
 * peers, carries offers and answers between peers, and tells us about incoming requests. The
 * signaling travels through the services; the chat itself still goes peer to peer.
 */
@ConsumerType
public interface DirectorySignalingProvider extends SignalingProvider {

    /**
     * Registers with the given services and keeps the registrations alive (re-registering by itself
     * after a service restarts) until the membership is closed. Never blocks on the network: the
     * outcome per service arrives through {@link DirectoryListener#serviceChanged}.
     */
    DirectoryMembership join(DirectoryOptions options, DirectoryListener listener);
}
