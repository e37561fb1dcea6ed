package org.p2pchat.core.signaling;

import java.net.URI;
import java.time.Instant;
import java.util.Objects;

/**
 * A peer as a directory service knows it.
 *
 * @param id            its address on the service: the identity key on an authenticated service,
 *                      the {@code user-<ms>-<name>} id on a legacy one
 * @param name          the name it registered with (not unique, not verified)
 * @param service       the service that lists it
 * @param authenticated whether the service's authenticated API is in use (the id is then a key)
 * @param lastSeen      when it last registered, as the service says
 */
public record DirectoryPeer(String id, String name, URI service, boolean authenticated, Instant lastSeen) {

    public DirectoryPeer {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(service, "service");
        name = name == null ? "" : name;
    }
}
