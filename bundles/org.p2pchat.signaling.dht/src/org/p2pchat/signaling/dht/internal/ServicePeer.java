package org.p2pchat.signaling.dht.internal;

import java.net.URI;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

import org.p2pchat.core.identity.PublicIdentity;
import org.p2pchat.core.signaling.PeerAddress;

/**
 * A peer as one API of a service knows it.
 *
 * @param id            its address there: the identity key on the authenticated API, the
 *                      {@code user-<ms>-<name>} id on the legacy one
 * @param name          the name it registered with (not unique, not verified)
 * @param service       the service that lists it
 * @param authenticated whether it is a peer of the authenticated API (the id is then a key)
 * @param lastSeen      when it last registered, as the service says; null if unknown
 */
record ServicePeer(String id, String name, URI service, boolean authenticated, Instant lastSeen) {

    ServicePeer {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(service, "service");
        name = name == null ? "" : name;
    }

    /** The scope of every address on {@code service}: its URL (the API is told by the address's identity). */
    static String scope(URI service) {
        return service.toString();
    }

    /**
     * This peer as the client layer sees it: bound to its key on the authenticated API (where the id
     * is the key, vouched for by the service), unbound on the web app's. Null for an id of the
     * authenticated API that is no key (a broken or hostile service's).
     */
    PeerAddress toAddress() {
        Optional<PublicIdentity> identity = Optional.empty();
        if (authenticated) {
            try {
                identity = Optional.of(new PublicIdentity(id));
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return new PeerAddress(DhtSignalingProvider.ID, id, name, scope(service), identity, lastSeen);
    }

    /** How messages name it: its name in quotes, or the start of its id. */
    String shown() {
        return name.isBlank() ? Text.shortened(id, 24) : "\u201C" + name + "\u201D";
    }
}
