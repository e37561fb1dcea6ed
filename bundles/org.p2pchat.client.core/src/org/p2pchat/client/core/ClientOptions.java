package org.p2pchat.client.core;

import java.net.URI;
import java.util.List;
import java.util.Optional;

import org.p2pchat.core.IceServer;

/**
 * How a view wants its client; what it leaves out comes from the profile's settings.
 *
 * @param displayName the name peers see; empty: the profile's username (or the system user's name)
 * @param iceServers  STUN/TURN servers instead of the profile's; empty: the profile's
 * @param listed      whether to appear in public peer lists (an unlisted client is reachable by its id only)
 * @param services    services named for this run (the command line's {@code --service URL}): a
 *                    provider that works through services uses these instead of its settings' ones
 */
public record ClientOptions(Optional<String> displayName, Optional<List<IceServer>> iceServers, boolean listed,
        List<URI> services) {

    public ClientOptions {
        displayName = displayName == null ? Optional.empty() : displayName.filter(n -> !n.isBlank());
        iceServers = iceServers == null ? Optional.empty() : iceServers.map(List::copyOf);
        services = services == null ? List.of() : List.copyOf(services);
    }

    /** Everything from the profile, listed. */
    public static ClientOptions fromProfile() {
        return new ClientOptions(Optional.empty(), Optional.empty(), true, List.of());
    }
}
