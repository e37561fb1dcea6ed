package org.p2pchat.signaling.dht.internal;

import java.net.URI;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.p2pchat.core.signaling.ConnectionProvider;
import org.p2pchat.core.signaling.ProviderCapability;
import org.p2pchat.core.signaling.ProviderContext;
import org.p2pchat.core.signaling.ProviderLink;
import org.p2pchat.signaling.dht.DhtSettings;

/**
 * Finding peers through rendezvous ("DHT") services: the original web app's HTTP mailbox, and
 * the same service's authenticated API where it has one. On a service with both, a listed client
 * is present on both, so the web app's users (who see only its API) can meet ours; see
 * {@link ServiceLink}. The services are the run's ({@link ProviderContext#services()}) or else
 * the enabled ones of the provider's settings ({@link DhtSettings}).
 */
@Component(service = ConnectionProvider.class)
public final class DhtSignalingProvider implements ConnectionProvider {

    public static final String ID = DhtSettings.SECTION;

    private static final String DESCRIPTION = "Find people through rendezvous services (the web app's \"DHT\" "
            + "servers): your client registers there under your name, lists who else is there, and passes "
            + "connection requests both ways; the chat itself then goes directly between you and your peer, never "
            + "through the service. The service learns your name, your IP address, who asks to connect with whom "
            + "and when, and the network addresses inside each offer and answer. Your offers and answers are "
            + "signed with your identity key, so a service that changes them is caught. On a service with the "
            + "newer authenticated API only you can fetch your requests and you can stay unlisted, reachable only "
            + "by your id; on the web app's API everyone is listed and anyone can read or forge requests, so "
            + "peers there (web app users) connect unverified. On a service that speaks both, a listed client is "
            + "also listed on the web app's API under a web app id, so its users can find you and ask to connect: "
            + "that directory is public by nature, so an unlisted client stays off it (and web app users cannot "
            + "reach it). A service that runs a TURN server gives you short-lived credentials for it, which your "
            + "connections use when no direct path works: that server then carries your encrypted traffic.";

    private static final Set<ProviderCapability> CAPABILITIES = Set.copyOf(EnumSet.of(ProviderCapability.PEER_LIST,
            ProviderCapability.CONNECT, ProviderCapability.INCOMING, ProviderCapability.ICE_SERVERS));

    private final DhtTimings timings;
    private final Set<DhtLink> links = ConcurrentHashMap.newKeySet();

    /** For DS. */
    public DhtSignalingProvider() {
        this(DhtTimings.DEFAULTS);
    }

    /** For use outside a framework (tests, tools), with timings of its own. */
    public DhtSignalingProvider(DhtTimings timings) {
        this.timings = Objects.requireNonNull(timings, "timings");
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String displayName() {
        return "DHT network";
    }

    @Override
    public String description() {
        return DESCRIPTION;
    }

    @Override
    public Set<ProviderCapability> capabilities() {
        return CAPABILITIES;
    }

    @Override
    public ProviderLink start(ProviderContext context) {
        Objects.requireNonNull(context, "context");
        List<URI> services = context.services().isEmpty()
                ? context.settings().read(DhtSettings.class, DhtSettings::defaults).enabledServices()
                : context.services();
        DhtLink link = new DhtLink(timings, context, services, links::remove);
        links.add(link);
        link.start();
        return link;
    }

    /** The bundle stops: every link leaves its services. */
    @Deactivate
    void deactivate() {
        List.copyOf(links).forEach(DhtLink::close);
    }
}
