package org.p2pchat.signaling.dht;

import java.net.URI;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import org.p2pchat.core.settings.ServiceEntry;

/**
 * The rendezvous ("DHT") provider's settings: its section {@value #SECTION} of the profile's
 * settings, as JSON {@code {"services":[{"name","url","enabled","builtIn"}, ...]}}.
 *
 * @param services the rendezvous services in the user's list, in order
 */
public record DhtSettings(List<ServiceEntry> services) {

    /** The id of the section: the provider's id. */
    public static final String SECTION = "dht";

    private static final List<ServiceEntry> DEFAULT_SERVICES = List.of(
            new ServiceEntry("Local rendezvous", "http://localhost:3479", true, true));

    /** A missing list (an older or hand-edited file) is the default one; {@code null} entries mean nothing. */
    public DhtSettings {
        services = services == null ? DEFAULT_SERVICES : services.stream().filter(Objects::nonNull).toList();
    }

    /** What a new profile starts with. */
    public static DhtSettings defaults() {
        return new DhtSettings(null);
    }

    /** The services to register with: the enabled entries whose URL is usable, each once, in order. */
    public List<URI> enabledServices() {
        Set<URI> uris = new LinkedHashSet<>();
        for (ServiceEntry e : services) {
            if (e.enabled() && e.problem().isEmpty()) {
                try {
                    uris.add(URI.create(e.url()));
                } catch (IllegalArgumentException notAUri) {
                    // problem() said it parses; nothing to use if it does not after all.
                }
            }
        }
        return List.copyOf(uris);
    }
}
