package org.p2pchat.signaling.dht.internal;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.p2pchat.core.PeerTransport;
import org.p2pchat.core.identity.IdentityService;
import org.p2pchat.core.signaling.DirectoryListener;
import org.p2pchat.core.signaling.DirectoryMembership;
import org.p2pchat.core.signaling.DirectoryOptions;
import org.p2pchat.core.signaling.DirectorySignalingProvider;
import org.p2pchat.core.signaling.SignalingProvider;

/**
 * Finding peers through rendezvous ("DHT") services: the original web app's HTTP mailbox, and
 * the same service's authenticated API where it has one. On a service with both, a listed
 * membership is present on both, so the web app's users (who see only its API) can meet ours;
 * see {@link ServiceLink}.
 */
@Component(service = { SignalingProvider.class, DirectorySignalingProvider.class })
public final class DhtSignalingProvider implements DirectorySignalingProvider {

    public static final String ID = "dht";

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
            + "reach it).";

    @Reference
    private PeerTransport transport;
    @Reference
    private IdentityService identity;

    private final DhtTimings timings;
    private final Set<DhtMembership> memberships = ConcurrentHashMap.newKeySet();

    /** For DS. */
    public DhtSignalingProvider() {
        this.timings = DhtTimings.DEFAULTS;
    }

    /** For use outside a framework (tests, tools), with its own identity and timings. */
    public DhtSignalingProvider(PeerTransport transport, IdentityService identity, DhtTimings timings) {
        this.transport = Objects.requireNonNull(transport, "transport");
        this.identity = Objects.requireNonNull(identity, "identity");
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
    public DirectoryMembership join(DirectoryOptions options, DirectoryListener listener) {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(listener, "listener");
        DhtMembership membership = new DhtMembership(transport, identity, timings, options, listener,
                memberships::remove);
        memberships.add(membership);
        membership.start();
        return membership;
    }

    /** The transport or identity went away: memberships that use them leave their services. */
    @Deactivate
    void deactivate() {
        List.copyOf(memberships).forEach(DhtMembership::close);
    }
}
