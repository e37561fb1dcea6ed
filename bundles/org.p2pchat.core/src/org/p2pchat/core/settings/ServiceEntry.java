package org.p2pchat.core.settings;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;
import java.util.Set;

/**
 * A rendezvous ("DHT") service or a BitTorrent tracker in the user's list.
 *
 * @param name    label shown to the user
 * @param url     the service's base URL
 * @param enabled whether the client uses it
 * @param builtIn shipped with the client (restored by "restore defaults")
 */
public record ServiceEntry(String name, String url, boolean enabled, boolean builtIn) {

    private static final Set<String> SCHEMES = Set.of("http", "https", "ws", "wss", "udp");

    public ServiceEntry {
        name = name == null ? "" : name;
        url = url == null ? "" : url.strip();
    }

    /** What is wrong with this entry; empty if it is usable. */
    public Optional<String> problem() {
        try {
            URI uri = new URI(url);
            if (uri.getScheme() == null || !SCHEMES.contains(uri.getScheme().toLowerCase())) {
                return Optional.of("URL must start with http://, https://, ws://, wss:// or udp://");
            }
            if (uri.getHost() == null || uri.getHost().isBlank()) {
                return Optional.of("URL has no host name");
            }
            if (uri.getPort() == 0 || uri.getPort() > 65535) {
                return Optional.of("port must be between 1 and 65535");
            }
            return Optional.empty();
        } catch (URISyntaxException e) {
            return Optional.of("not a valid URL: " + e.getReason());
        }
    }
}
