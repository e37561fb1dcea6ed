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
    /** What a URL without its scheme is told, followed by an example (what was typed, if it is a host and port). */
    private static final String SCHEME_MISSING = "Type the address with http:// or https:// in front (ws://, wss:// or "
            + "udp:// for some trackers), for example http://";
    private static final java.util.regex.Pattern HOST_AND_PORT = java.util.regex.Pattern.compile("[\\w.-]+(:\\d+)?(/\\S*)?");

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
     * Type the address with http:// ...}; empty if every entry is usable.
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
        int scheme = url.indexOf("://");
        if (scheme <= 0 || !SCHEMES.contains(url.substring(0, scheme).toLowerCase(java.util.Locale.ROOT))) {
            // "relay.example.org:3479" or "192.0.2.1:3479" would otherwise be read as a scheme, or refused as one.
            return Optional.of(SCHEME_MISSING + (HOST_AND_PORT.matcher(url).matches() ? url : "relay.example.org:3479"));
        }
        try {
            URI uri = new URI(url);
            if (uri.getHost() == null || uri.getHost().isBlank()) {
                return Optional.of("URL has no host name");
            }
            if (uri.getPort() == 0 || uri.getPort() > 65535) {
                return Optional.of("port must be between 1 and 65535");
            }
            return Optional.empty();
        } catch (URISyntaxException e) {
            int at = e.getIndex();
            if (e.getReason().startsWith("Illegal character") && at >= 0 && at < url.length()) {
                char c = url.charAt(at);
                return Optional.of("The address cannot contain " + (c == ' ' ? "a space" : "\u201c" + c + "\u201d")
                        + " (character " + (at + 1) + ")");
            }
            return Optional.of(e.getReason().startsWith("Expected authority") ? "URL has no host name"
                    : "not a valid address: " + e.getReason());
        }
    }
}
