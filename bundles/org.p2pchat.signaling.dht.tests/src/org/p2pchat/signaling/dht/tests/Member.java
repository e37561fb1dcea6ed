package org.p2pchat.signaling.dht.tests;

import java.net.URI;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.p2pchat.core.SessionConfig;
import org.p2pchat.core.identity.IdentityService;
import org.p2pchat.core.internal.identity.Ed25519IdentityService;
import org.p2pchat.core.signaling.DirectoryMembership;
import org.p2pchat.core.signaling.DirectoryOptions;
import org.p2pchat.core.signaling.DirectoryPeer;
import org.p2pchat.core.signaling.DirectorySignalingProvider;
import org.p2pchat.core.signaling.ServiceStatus;
import org.p2pchat.signaling.dht.internal.DhtMembership;
import org.p2pchat.signaling.dht.internal.DhtSignalingProvider;
import org.p2pchat.signaling.dht.internal.DhtTimings;

/** One person on the directory: a provider with an identity, its membership, and what it heard. */
final class Member implements AutoCloseable {

    final String name;
    final IdentityService identity;
    final DirectoryEvents events = new DirectoryEvents();
    final DirectoryMembership membership;

    private Member(String name, DirectorySignalingProvider provider, IdentityService identity, boolean listed,
            URI... services) {
        this.name = name;
        this.identity = identity;
        this.membership = provider.join(new DirectoryOptions(List.of(services), name, listed,
                SessionConfig.of(List.of(), name)), events);
    }

    /** Through the framework's own provider and identity (the DS wiring under test). */
    static Member registered(String name, URI... services) {
        return new Member(name, Registered.provider(), Registered.identity(), true, services);
    }

    /** With a provider and identity of its own: a second person in the same framework. */
    static Member own(String name, DhtTimings timings, boolean listed, URI... services) throws Exception {
        IdentityService identity = new Ed25519IdentityService(Files.createTempDirectory("p2pchat-dht-" + name));
        return new Member(name, new DhtSignalingProvider(Registered.transport(), identity, timings), identity, listed,
                services);
    }

    static Member own(String name, URI... services) throws Exception {
        return own(name, DhtTimings.DEFAULTS, true, services);
    }

    ServiceStatus awaitRegistered() throws InterruptedException {
        return events.awaitState(ServiceStatus.State.REGISTERED);
    }

    /** Our id on the (first) service. */
    String id() {
        return membership.services().get(0).ourId();
    }

    /** Our id on {@code service}. */
    String idOn(URI service) {
        return membership.services().stream().filter(s -> s.service().equals(service)).findFirst().orElseThrow().ourId();
    }

    /** Waits until the directory lists {@code other}, and returns it as listed. */
    DirectoryPeer awaitListed(Member other) throws InterruptedException {
        return Await.until(() -> {
            try {
                return membership.peers().get(Await.SECONDS, TimeUnit.SECONDS).stream()
                        .filter(p -> p.id().equals(other.id())).findFirst().orElse(null);
            } catch (Exception e) {
                return null;
            }
        }, other.name + " in " + name + "'s peer list");
    }

    List<String> ignoredSignals() {
        return ((DhtMembership) membership).ignoredSignals();
    }

    @Override
    public void close() {
        membership.close();
    }
}
