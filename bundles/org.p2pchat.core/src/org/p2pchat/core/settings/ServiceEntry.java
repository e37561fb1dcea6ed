package org.p2pchat.core.settings;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Objects;
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

    /**
     * A list of entries as a settings record reads it from the file: {@code defaults} when the
     * file has none, else the list without the {@code null} entries a hand edit may leave.
     */
    public static List<ServiceEntry> listOrDefaults(List<ServiceEntry> read, List<ServiceEntry> defaults) {
        return read == null ? defaults : read.stream().filter(Objects::nonNull).toList();
    }

    /**
     * The first problem of {@code entries}, named for the user, e.g. {@code tracker 'Old':
     * URL must start with ...}; empty if every entry is usable.
     *
     * @param what what one entry is called, e.g. {@code rendezvous service}
     */
    public static Optional<String> problemOf(String what, List<ServiceEntry> entries) {
        for (ServiceEntry entry : entries) {
            Optional<String> problem = entry.problem();
            if (problem.isPresent()) {
                return Optional.of(what + " '" + entry.name() + "': " + problem.get());
            }
        }
        return Optional.empty();
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
