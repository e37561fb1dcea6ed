package org.p2pchat.client.core.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import org.p2pchat.client.core.BrokenProvider;
import org.p2pchat.core.signaling.ConnectionProvider;

/**
 * The connection providers registered now, highest service ranking first (the order the
 * framework gives services), the provider plug-ins installed that give none (broken), and the
 * clients to tell when either changes.
 */
final class ProviderRegistry {

    /** A provider with its service ranking; {@code order} keeps the registration order among equals. */
    record Ranked(ConnectionProvider provider, int ranking, long order) {
    }

    interface Listener {
        void providersChanged();

        /** The provider plug-ins that are installed but broken changed. */
        default void brokenChanged(List<BrokenProvider> broken) {
        }
    }

    private final List<Ranked> providers = new ArrayList<>();
    private final CopyOnWriteArrayList<Listener> listeners = new CopyOnWriteArrayList<>();
    private long registrations;
    /** The provider plug-ins installed that give no provider, where a framework is watched. */
    private volatile Supplier<List<BrokenProvider>> broken = List::of;

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

    /** The provider plug-ins installed that give no provider, asked afresh. */
    List<BrokenProvider> broken() {
        return broken.get();
    }

    /** Where the broken ones are found ({@link ProviderBundles#broken}). */
    void brokenFrom(Supplier<List<BrokenProvider>> source) {
        broken = source;
    }

    /** Tells the listeners the broken provider plug-ins changed. */
    void brokenChanged(List<BrokenProvider> now) {
        listeners.forEach(l -> l.brokenChanged(now));
    }

    void addListener(Listener listener) {
        listeners.add(listener);
    }

    void removeListener(Listener listener) {
        listeners.remove(listener);
    }
}
