package org.p2pchat.signaling.dht.tests;

import java.net.URI;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.p2pchat.core.identity.IdentityService;
import org.p2pchat.core.identity.PublicIdentity;
import org.p2pchat.core.settings.SettingsSection;
import org.p2pchat.core.internal.identity.Ed25519IdentityService;
import org.p2pchat.core.signaling.ConnectionProvider;
import org.p2pchat.core.signaling.PeerAddress;
import org.p2pchat.core.signaling.ProviderCallback;
import org.p2pchat.core.signaling.ProviderContext;
import org.p2pchat.core.signaling.ProviderLink;
import org.p2pchat.core.signaling.ProviderStatus;
import org.p2pchat.signaling.dht.DhtSettings;
import org.p2pchat.signaling.dht.internal.DhtLink;
import org.p2pchat.signaling.dht.internal.DhtSignalingProvider;
import org.p2pchat.signaling.dht.internal.DhtTimings;

/**
 * One person on the rendezvous services: a started provider with an identity, and what it
 * reported. The test plays the client layer: it makes the sessions and signs the descriptions
 * ({@link Connected}), and checks no proofs.
 */
final class Member implements AutoCloseable {

    /** What the client layer gives a provider it starts. */
    record Context(PublicIdentity self, String displayName, boolean listed, List<URI> services,
            SettingsSection settings, IdentityService identity, ProviderCallback callback) implements ProviderContext {

        @Override
        public byte[] sign(String context, byte[] message) {
            return identity.sign(context, message);
        }
    }

    final String name;
    final IdentityService identity;
    final ProviderEvents events = new ProviderEvents();
    final ProviderLink link;

    private Member(String name, ConnectionProvider provider, IdentityService identity, boolean listed,
            List<URI> services, DhtSettings settings) {
        this.name = name;
        this.identity = identity;
        this.link = provider.start(new Context(identity.self(), name, listed, services,
                new MemorySettings(DhtSettings.SECTION, settings), identity, events));
    }

    /** Through the framework's own provider and identity (the DS wiring under test), on the run's services. */
    static Member registered(String name, URI... services) {
        return new Member(name, Registered.provider(), Registered.identity(), true, List.of(services), null);
    }

    /** With a provider and identity of its own: a second person in the same framework. */
    static Member own(String name, DhtTimings timings, boolean listed, URI... services) throws Exception {
        return new Member(name, new DhtSignalingProvider(timings), newIdentity(name), listed, List.of(services), null);
    }

    static Member own(String name, URI... services) throws Exception {
        return own(name, DhtTimings.DEFAULTS, true, services);
    }

    /**
     * With services named for the run ({@code --service}; none: those of its settings are used) and
     * settings of its own ({@code null}: a profile without the section).
     */
    static Member withSettings(String name, List<URI> runServices, DhtSettings settings) throws Exception {
        return new Member(name, new DhtSignalingProvider(DhtTimings.DEFAULTS), newIdentity(name), true, runServices,
                settings);
    }

    static IdentityService newIdentity(String name) throws Exception {
        return new Ed25519IdentityService(Files.createTempDirectory("p2pchat-dht-" + name));
    }

    ProviderStatus awaitRegistered() throws InterruptedException {
        return events.awaitState(ProviderStatus.State.ONLINE);
    }

    /** Our id on the (first) service. */
    String id() {
        return link.status().get(0).ourId();
    }

    /** Our id on the service of {@code scope}. */
    String idOn(String scope) {
        return link.status().stream().filter(s -> s.scope().equals(scope)).findFirst().orElseThrow().ourId();
    }

    /** Waits until the services list {@code other}, and returns it as listed. */
    PeerAddress awaitListed(Member other) throws InterruptedException {
        return Await.until(() -> {
            try {
                return link.peers().get(Await.SECONDS, TimeUnit.SECONDS).stream()
                        .filter(p -> p.id().equals(other.id())).findFirst().orElse(null);
            } catch (Exception e) {
                return null;
            }
        }, other.name + " in " + name + "'s peer list");
    }

    List<String> ignoredSignals() {
        return ((DhtLink) link).ignoredSignals();
    }

    @Override
    public void close() {
        link.close();
    }
}
