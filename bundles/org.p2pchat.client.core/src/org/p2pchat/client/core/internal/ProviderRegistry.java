package org.p2pchat.client.core.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.p2pchat.core.signaling.ConnectionProvider;

/**
 * The connection providers registered now, highest service ranking first (the order the
 * framework gives services), and the clients to tell when one comes or goes.
 */
final class ProviderRegistry {

    /** A provider with its service ranking; {@code order} keeps the registration order among equals. */
    record Ranked(ConnectionProvider provider, int ranking, long order) {
    }

    interface Listener {
        void providersChanged();
    }

    private final List<Ranked> providers = new ArrayList<>();
    private final CopyOnWriteArrayList<Listener> listeners = new CopyOnWriteArrayList<>();
    private long registrations;

    void add(ConnectionProvider provider, int ranking) {
        synchronized (this) {
            providers.removeIf(r -> r.provider() == provider);
            providers.add(new Ranked(provider, ranking, registrations++));
            providers.sort(Comparator.comparingInt(Ranked::ranking).reversed().thenComparingLong(Ranked::order));
        }
        listeners.forEach(Listener::providersChanged);
    }

    void remove(ConnectionProvider provider) {
        boolean removed;
        synchronized (this) {
            removed = providers.removeIf(r -> r.provider() == provider);
        }
        if (removed) {
            listeners.forEach(Listener::providersChanged);
        }
    }

    /** Highest ranking first. */
    synchronized List<ConnectionProvider> providers() {
        return providers.stream().map(Ranked::provider).toList();
    }

    void addListener(Listener listener) {
        listeners.add(listener);
    }

    void removeListener(Listener listener) {
        listeners.remove(listener);
    }
}
