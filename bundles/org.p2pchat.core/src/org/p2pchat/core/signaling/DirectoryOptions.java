package org.p2pchat.core.signaling;

import java.net.URI;
import java.util.List;
import java.util.Objects;

import org.p2pchat.core.SessionConfig;

/**
 * How to join the directory services.
 *
 * @param services      base URLs of the services to register with (at least one)
 * @param displayName   the name other people see
 * @param listed        whether to appear in public peer lists (on a service with both APIs, also in
 *                      the web app's list, so its users can find us); an unlisted peer is reachable
 *                      only by its id and only on the authenticated API
 * @param sessionConfig ICE servers and limits for the peer sessions this membership creates
 */
public record DirectoryOptions(List<URI> services, String displayName, boolean listed, SessionConfig sessionConfig) {

    public DirectoryOptions {
        services = List.copyOf(services);
        if (services.isEmpty()) {
            throw new IllegalArgumentException("no rendezvous service given");
        }
        Objects.requireNonNull(displayName, "displayName");
        Objects.requireNonNull(sessionConfig, "sessionConfig");
    }
}
