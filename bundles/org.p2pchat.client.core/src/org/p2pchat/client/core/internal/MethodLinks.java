package org.p2pchat.client.core.internal;

import java.lang.System.Logger.Level;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.p2pchat.client.core.BrokenProvider;
import org.p2pchat.client.core.ClientEvent;
import org.p2pchat.client.core.ConnectionMethod;
import org.p2pchat.core.IceServer;
import org.p2pchat.core.identity.IdentityService;
import org.p2pchat.core.identity.PublicIdentity;
import org.p2pchat.core.settings.SettingsSection;
import org.p2pchat.core.settings.SettingsStore;
import org.p2pchat.core.signaling.ConnectionProvider;
import org.p2pchat.core.signaling.InboundOffer;
import org.p2pchat.core.signaling.ProviderAction;
import org.p2pchat.core.signaling.ProviderCallback;
import org.p2pchat.core.signaling.ProviderCapability;
import org.p2pchat.core.signaling.ProviderContext;
import org.p2pchat.core.signaling.ProviderLink;
import org.p2pchat.core.signaling.ProviderStatus;

/**
 * One client's connection methods: the registered providers, and the links it started with them
 * ({@link ConnectionProvider#start}), each with a {@link ProviderContext} of this client's and a
 * callback that hands offers to the client. A provider that goes away takes its link with it.
 */
final class MethodLinks implements ProviderRegistry.Listener {

    private static final System.Logger LOG = System.getLogger(MethodLinks.class.getName());

    /** What the links report to the client they serve. */
    interface Owner {
        void offered(ConnectionProvider provider, InboundOffer offer);

        void withdrawn(InboundOffer offer);

        void post(ClientEvent event);

        /** The peers of the method {@code methodId} changed by themselves (a provider without a server). */
        void peersChanged(String methodId);
    }

    /** A started link; {@code online} whether the user asked for it ({@link #goOnline}), not just a paste. */
    private static final class Started {
        final ConnectionProvider provider;
        final ProviderLink link;
        volatile boolean online;
        volatile List<ProviderStatus> status = List.of();

        Started(ConnectionProvider provider, ProviderLink link) {
            this.provider = provider;
            this.link = link;
        }
    }

    private final ProviderRegistry registry;
    private final IdentityService identity;
    private final SettingsStore settings;
    private final String displayName;
    private final boolean listed;
    private final List<URI> services;
    private final Owner owner;
    private final Map<String, Started> started = new ConcurrentHashMap<>();
    private volatile boolean closed;

    MethodLinks(ProviderRegistry registry, IdentityService identity, SettingsStore settings, String displayName,
            boolean listed, List<URI> services, Owner owner) {
        this.registry = registry;
        this.identity = identity;
        this.settings = settings;
        this.displayName = displayName;
        this.listed = listed;
        this.services = List.copyOf(services);
        this.owner = owner;
        registry.addListener(this);
    }

    List<ConnectionMethod> methods() {
        List<ConnectionMethod> methods = new ArrayList<>();
        for (ConnectionProvider p : registry.providers()) {
            methods.add(method(p));
        }
        return methods;
    }

    private ConnectionMethod method(ConnectionProvider p) {
        Started s = started.get(p.id());
        boolean online = s != null && s.provider == p && s.online;
        return new ConnectionMethod(p.id(), p.displayName(), p.description(), p.capabilities(), online,
                online ? s.status : List.of(), online ? actions(s) : List.of());
    }

    private static List<ProviderAction> actions(Started s) {
        try {
            return s.link.actions();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "the method " + s.provider.id() + " failed to give its actions", e);
            return List.of();
        }
    }

    /** The registered provider {@code id}. @throws IllegalArgumentException if there is none */
    ConnectionProvider provider(String id) {
        return registry.providers().stream().filter(p -> p.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No connection method '" + id + "' is installed."));
    }

    /** The first provider that can {@code capability}, highest ranking first. */
    java.util.Optional<ConnectionProvider> first(ProviderCapability capability) {
        return registry.providers().stream().filter(p -> p.capabilities().contains(capability)).findFirst();
    }

    void goOnline(String id) {
        Started s = start(provider(id));
        if (!s.online) {
            s.online = true;
            owner.post(new ClientEvent.MethodChanged(method(s.provider)));
        }
    }

    /**
     * Goes online with every method that takes requests and reports somewhere to be reached once
     * started (a place in its status); one that reports none is stopped again.
     */
    List<String> goOnlineAtStart() {
        List<String> online = new ArrayList<>();
        for (ConnectionProvider p : registry.providers()) {
            if (!p.capabilities().contains(ProviderCapability.INCOMING)) {
                continue;
            }
            if (isOnline(p.id())) {
                online.add(p.id());
                continue;
            }
            boolean wasStarted = started.containsKey(p.id());
            Started s;
            try {
                s = start(p);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "the method " + p.id() + " failed to start", e);
                continue;
            }
            if (s.status.isEmpty()) {
                if (!wasStarted && started.remove(p.id(), s)) {
                    close(s); // nowhere to be reached: a view that shows the method says so
                }
                continue;
            }
            s.online = true;
            online.add(p.id());
            owner.post(new ClientEvent.MethodChanged(method(p)));
        }
        return online;
    }

    void goOffline(String id) {
        Started s = started.remove(id);
        if (s != null) {
            close(s);
            owner.post(new ClientEvent.MethodChanged(method(s.provider)));
        }
    }

    /** The link of a method the client is online with. @throws IllegalStateException if it is not */
    ProviderLink onlineLink(String id) {
        Started s = started.get(id);
        if (s == null || !s.online) {
            throw new IllegalStateException("Not online with the connection method '" + id + "'.");
        }
        return s.link;
    }

    /** The link of {@code provider}, started quietly if need be (a paste needs no going online). */
    ProviderLink link(ConnectionProvider provider) {
        return start(provider).link;
    }

    boolean isOnline(String id) {
        Started s = started.get(id);
        return s != null && s.online;
    }

    private synchronized Started start(ConnectionProvider provider) {
        if (closed) {
            throw new IllegalStateException("The client is closed.");
        }
        Started s = started.get(provider.id());
        if (s != null && s.provider == provider) {
            return s;
        }
        if (s != null) {
            close(s); // another provider of the same id took over
        }
        Holder holder = new Holder();
        ProviderLink link = provider.start(new Context(provider, holder));
        Started fresh = new Started(provider, link);
        try {
            fresh.status = List.copyOf(link.status());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "the method " + provider.id() + " failed to give its status", e);
        }
        holder.started = fresh;
        started.put(provider.id(), fresh);
        return fresh;
    }

    /** The STUN/TURN servers of the {@link ProviderCapability#ICE_SERVERS} methods we are online with. */
    List<IceServer> iceServers() {
        List<IceServer> servers = new ArrayList<>();
        for (Started s : started.values()) {
            if (s.provider.capabilities().contains(ProviderCapability.ICE_SERVERS)) {
                try {
                    servers.addAll(s.link.iceServers());
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "the method " + s.provider.id() + " failed to give its ICE servers", e);
                }
            }
        }
        return servers;
    }

    @Override
    public void providersChanged() {
        List<ConnectionProvider> now = registry.providers();
        for (Started s : List.copyOf(started.values())) {
            if (now.stream().noneMatch(p -> p == s.provider)) {
                started.remove(s.provider.id(), s);
                close(s);
            }
        }
        owner.post(new ClientEvent.MethodsChanged(methods()));
    }

    @Override
    public void brokenChanged(List<BrokenProvider> broken) {
        if (!closed) {
            owner.post(new ClientEvent.ProvidersBroken(broken));
        }
    }

    /** The provider plug-ins installed that give no method, with why. */
    List<BrokenProvider> broken() {
        return registry.broken();
    }

    void close() {
        synchronized (this) {
            closed = true;
        }
        registry.removeListener(this);
        for (Started s : List.copyOf(started.values())) {
            started.remove(s.provider.id(), s);
            close(s);
        }
    }

    private static void close(Started s) {
        try {
            s.link.close();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "closing the method " + s.provider.id() + " failed", e);
        }
    }

    /** The link a callback belongs to, known once {@link ConnectionProvider#start} returned. */
    private static final class Holder {
        volatile Started started;
    }

    private final class Context implements ProviderContext, ProviderCallback {
        private final ConnectionProvider provider;
        private final Holder holder;

        Context(ConnectionProvider provider, Holder holder) {
            this.provider = provider;
            this.holder = holder;
        }

        @Override
        public PublicIdentity self() {
            return identity.self();
        }

        @Override
        public String displayName() {
            return displayName;
        }

        @Override
        public boolean listed() {
            return listed;
        }

        @Override
        public List<URI> services() {
            return services;
        }

        @Override
        public SettingsSection settings() {
            return settings.section(provider.id());
        }

        @Override
        public java.util.Optional<java.nio.file.Path> profileDirectory() {
            return java.util.Optional.ofNullable(settings.profileDirectory());
        }

        @Override
        public byte[] sign(String context, byte[] message) {
            return identity.sign(context, message);
        }

        @Override
        public ProviderCallback callback() {
            return this;
        }

        private boolean current() {
            Started s = holder.started;
            return !closed && (s == null || started.get(provider.id()) == s);
        }

        @Override
        public void offered(InboundOffer offer) {
            if (current()) {
                owner.offered(provider, offer);
            } else {
                offer.reject(null);
            }
        }

        @Override
        public void withdrawn(InboundOffer offer) {
            owner.withdrawn(offer);
        }

        @Override
        public void statusChanged(List<ProviderStatus> status) {
            Started s = holder.started;
            if (s != null && current()) {
                s.status = List.copyOf(status);
                if (s.online) {
                    owner.post(new ClientEvent.MethodChanged(method(provider)));
                }
            }
        }

        @Override
        public void peersChanged() {
            Started s = holder.started;
            if (s != null && s.online && current()) {
                owner.peersChanged(provider.id());
            }
        }
    }
}
