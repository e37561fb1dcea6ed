package org.p2pchat.client.core.internal;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.p2pchat.client.core.ChatClient;
import org.p2pchat.client.core.ChatClientFactory;
import org.p2pchat.client.core.ClientOptions;
import org.p2pchat.core.PeerTransport;
import org.p2pchat.core.files.FileTransferService;
import org.p2pchat.core.identity.IdentityService;
import org.p2pchat.core.settings.SettingsStore;
import org.p2pchat.history.MessageHistory;
import org.p2pchat.core.signaling.ConnectionProvider;

/**
 * The client layer as an OSGi service: opens {@link DefaultChatClient}s on the profile's identity,
 * settings and file transfer, with every connection provider registered now or later. Tests make
 * their own with {@link #ChatClientService(PeerTransport, IdentityService, SettingsStore, FileTransferService, MessageHistory)}
 * to run two profiles in one framework.
 */
@Component(service = ChatClientFactory.class)
public final class ChatClientService implements ChatClientFactory {

    private volatile PeerTransport transport;
    private volatile IdentityService identity;
    private volatile SettingsStore settings;
    private volatile FileTransferService files;
    private volatile MessageHistory history;
    private final ProviderRegistry providers = new ProviderRegistry();
    private final CopyOnWriteArrayList<DefaultChatClient> clients = new CopyOnWriteArrayList<>();
    /** The framework's provider plug-ins that are broken; null outside DS (until {@link #watch}). */
    private volatile ProviderBundles bundles;

    /** For the framework. */
    public ChatClientService() {
    }

    /**
     * A factory on explicit parts, for use outside DS (a second profile in a test).
     *
     * @param files the file transfer, or {@code null} for none
     */
    public ChatClientService(PeerTransport transport, IdentityService identity, SettingsStore settings,
            FileTransferService files, MessageHistory history) {
        this.transport = Objects.requireNonNull(transport, "transport");
        this.identity = Objects.requireNonNull(identity, "identity");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.files = files;
        this.history = Objects.requireNonNull(history, "history");
    }

    @Reference
    void setTransport(PeerTransport transport) {
        this.transport = transport;
    }

    @Reference
    void setIdentity(IdentityService identity) {
        this.identity = identity;
    }

    @Reference
    void setSettings(SettingsStore settings) {
        this.settings = settings;
    }

    /** The running profile's history (registered once the profile is unlocked). */
    @Reference
    void setHistory(MessageHistory history) {
        this.history = history;
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setFiles(FileTransferService service) {
        files = service;
        clients.forEach(c -> c.filesChanged(service));
    }

    void unsetFiles(FileTransferService service) {
        if (files == service) {
            files = null;
            clients.forEach(c -> c.filesChanged(null));
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addProvider(ConnectionProvider provider, Map<String, Object> properties) {
        Object ranking = properties.get(Constants.SERVICE_RANKING);
        register(provider, ranking instanceof Integer i ? i : 0);
    }

    void removeProvider(ConnectionProvider provider) {
        providers.remove(provider);
    }

    @Activate
    void activate(BundleContext context) {
        watch(context);
    }

    /**
     * Watches the framework of {@code context} for provider plug-ins that are installed but broken
     * (done by DS at activation; a factory made by hand is not watching until this is called).
     */
    public synchronized void watch(BundleContext context) {
        if (bundles != null) {
            return;
        }
        ProviderBundles b = new ProviderBundles(context, providers::brokenChanged);
        bundles = b;
        providers.brokenFrom(b::broken);
        b.open();
    }

    /** Registers a provider by hand (outside DS), with its service ranking. */
    public void register(ConnectionProvider provider, int ranking) {
        providers.add(provider, ranking);
    }

    /** Unregisters a provider registered by hand; its links close. */
    public void unregister(ConnectionProvider provider) {
        providers.remove(provider);
    }

    /** The service goes away (its bundle stops): its clients leave their conversations and go offline. */
    @Deactivate
    void deactivate() {
        ProviderBundles b = bundles;
        if (b != null) {
            b.close();
        }
        for (DefaultChatClient c : List.copyOf(clients)) {
            c.close();
        }
    }

    @Override
    public ChatClient open(ClientOptions options) {
        PeerTransport t = transport;
        if (t == null) {
            throw new IllegalStateException("No transport is installed: the WebRTC plug-in is missing or did not start.");
        }
        DefaultChatClient client = new DefaultChatClient(t, identity, settings, files, history, providers,
                options == null ? ClientOptions.fromProfile() : options, clients::remove);
        clients.add(client);
        return client;
    }
}
