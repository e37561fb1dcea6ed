package org.p2pchat.signaling.dht.internal;

import java.net.URI;

/**
 * A peer on one service, through one of its APIs ({@link RendezvousApi#name()}): a service that
 * speaks both keeps their peers apart, and a legacy sender's unchecked {@code from} must never
 * stand for a peer of the authenticated API.
 */
record PeerKey(URI service, String api, String id) {

    PeerKey(ServiceLink link, RendezvousApi api, String id) {
        this(link.service, api.name(), id);
    }
}
