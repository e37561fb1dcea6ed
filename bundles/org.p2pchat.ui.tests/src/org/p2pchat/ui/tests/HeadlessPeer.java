package org.p2pchat.ui.tests;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import org.p2pchat.client.core.ChatClient;
import org.p2pchat.client.core.ClientEvent;
import org.p2pchat.client.core.ClientOptions;
import org.p2pchat.client.core.internal.ChatClientService;
import org.p2pchat.core.PeerTransport;
import org.p2pchat.core.identity.IdentityService;
import org.p2pchat.core.internal.identity.Ed25519IdentityService;
import org.p2pchat.core.signaling.ConnectionProvider;

/**
 * A second person in the same framework: a real client of the client layer on a profile of its own
 * (identity, settings in memory), with the providers the test gives it, driven by the test with no
 * window. It records every event for the test to wait on.
 */
final class HeadlessPeer implements AutoCloseable {

    final IdentityService identity;
    final PartHarness.MemorySettings settings;
    final ChatClient client;
    final List<ClientEvent> events = new CopyOnWriteArrayList<>();
    private final AutoCloseable subscription;

    HeadlessPeer(String name, Path directory, PeerTransport transport, ConnectionProvider... providers) throws Exception {
        identity = new Ed25519IdentityService(directory.resolve("identity"));
        settings = new PartHarness.MemorySettings(name, directory);
        ChatClientService factory = new ChatClientService(transport, identity, settings, null,
                PartHarness.inMemoryHistory());
        for (ConnectionProvider p : providers) {
            factory.register(p, 0);
        }
        client = factory.open(ClientOptions.fromProfile());
        subscription = client.subscribe(Runnable::run, events::add);
    }

    /** The first event of {@code type} that matches, once it came (pumping the harness's UI meanwhile). */
    <T extends ClientEvent> T await(PartHarness harness, Class<T> type, Predicate<T> matches, long seconds, String what) {
        return harness.waitFor(() -> events.stream().filter(type::isInstance).map(type::cast).filter(matches).findFirst()
                .orElse(null), seconds, what + "; events so far: " + events);
    }

    @Override
    public void close() throws Exception {
        subscription.close();
        client.close();
    }
}
