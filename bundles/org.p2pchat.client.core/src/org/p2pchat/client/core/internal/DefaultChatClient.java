package org.p2pchat.client.core.internal;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.p2pchat.client.core.BrokenProvider;
import org.p2pchat.client.core.ChatClient;
import org.p2pchat.client.core.ClientEvent;
import org.p2pchat.client.core.ClientOptions;
import org.p2pchat.client.core.ConnectionMethod;
import org.p2pchat.client.core.Conversation;
import org.p2pchat.client.core.FileItem;
import org.p2pchat.client.core.PasteExchange;
import org.p2pchat.client.core.Request;
import org.p2pchat.client.core.Verification;
import org.p2pchat.core.IceServer;
import org.p2pchat.core.PeerSession;
import org.p2pchat.core.PeerTransport;
import org.p2pchat.core.SessionConfig;
import org.p2pchat.core.SessionException;
import org.p2pchat.core.files.FileTransferService;
import org.p2pchat.core.files.TransferFile;
import org.p2pchat.core.files.TransferListener;
import org.p2pchat.core.files.TransferStatus;
import org.p2pchat.core.identity.Contact;
import org.p2pchat.core.identity.IdentityService;
import org.p2pchat.core.identity.PublicIdentity;
import org.p2pchat.core.settings.Settings;
import org.p2pchat.core.settings.SettingsStore;
import org.p2pchat.core.signaling.ConnectionProvider;
import org.p2pchat.core.signaling.InboundOffer;
import org.p2pchat.core.signaling.PasteCodec;
import org.p2pchat.core.signaling.PeerAddress;
import org.p2pchat.core.signaling.ProviderCapability;
import org.p2pchat.core.signaling.SignalingException;
import org.p2pchat.core.text.ContactWarnings;
import org.p2pchat.client.core.ConversationEntry;
import org.p2pchat.client.core.ConversationState;
import org.p2pchat.client.core.Ongoing;
import org.p2pchat.core.files.TransferStatus;
import org.p2pchat.history.HistoryPage;
import org.p2pchat.history.MessageHistory;
import org.p2pchat.history.SearchHit;

/**
 * A chat client on one profile: its methods ({@link MethodLinks}), its requests, its
 * conversations ({@link ChatConversation}) and their events ({@link EventBus}).
 */
final class DefaultChatClient implements ChatClient, MethodLinks.Owner {

    private static final System.Logger LOG = System.getLogger(DefaultChatClient.class.getName());

    /** An offer shown to the user as a request. */
    private record Pending(Request request, InboundOffer offer) {
    }

    private final PeerTransport transport;
    private final IdentityService identity;
    private final SettingsStore settings;
    private final ClientOptions options;
    private final String displayName;
    private final Consumer<DefaultChatClient> onClose;
    private final EventBus bus = new EventBus();
    private final MethodLinks links;
    private final Proofs proofs;
    private final Negotiator negotiator;
    private final MessageHistory history;
    private final ConversationList list;
    private final CopyOnWriteArrayList<ChatConversation> conversations = new CopyOnWriteArrayList<>();
    private final Map<String, Pending> requests = new ConcurrentHashMap<>();
    private final Map<String, PeerRefresh> peerRefreshes = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final TransferListener transfers = this::transferChanged;
    private volatile FileTransferService files;
    private volatile boolean closed;
    /**
     * Reconnect timers, retries and blocking hand-offs run on this client's own threads, never on
     * the common pool: that has one worker on a two-core machine, and anything blocking it stalled
     * the reconnect attempts.
     */
    private final ExecutorService work = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "p2pchat-client-" + THREADS.incrementAndGet());
        t.setDaemon(true);
        return t;
    });
    private static final AtomicLong THREADS = new AtomicLong();

    DefaultChatClient(PeerTransport transport, IdentityService identity, SettingsStore settings,
            FileTransferService files, MessageHistory history, ProviderRegistry providers, ClientOptions options,
            Consumer<DefaultChatClient> onClose) {
        this.transport = transport;
        this.history = history;
        this.list = new ConversationList(this, history);
        this.identity = identity;
        this.settings = settings;
        this.options = options;
        this.onClose = onClose;
        this.displayName = options.displayName().orElseGet(() -> {
            String username = settings.get().username();
            return !username.isBlank() ? username : System.getProperty("user.name", "someone");
        });
        this.proofs = new Proofs(identity);
        this.negotiator = new Negotiator(this, identity, proofs);
        this.links = new MethodLinks(providers, identity, settings, displayName, options.listed(), options.services(),
                this);
        filesChanged(files);
    }

    void filesChanged(FileTransferService service) {
        FileTransferService old = files;
        if (old == service) {
            return;
        }
        if (old != null) {
            old.removeListener(transfers);
        }
        files = service;
        if (service != null) {
            service.addListener(transfers);
        }
    }

    /** The engine's status with the files' names and where received ones are saved (the engine's listener thread). */
    private void transferChanged(TransferStatus status) {
        FileTransferService service = files;
        List<TransferFile> named = List.of();
        if (service != null) {
            try {
                named = service.files(status.id());
            } catch (RuntimeException e) {
                LOG.log(Level.DEBUG, "The files of transfer " + status.id() + " are not known", e);
            }
        }
        post(new ClientEvent.TransferChanged(new FileItem(status, named)));
    }

    // ---- parts for the conversations -----------------------------------------------------------

    FileTransferService files() {
        return files;
    }

    /** Where this client's blocking work runs. */
    Executor work() {
        return work;
    }

    /** Runs a task on {@link #work()} after {@code millis}. */
    Executor after(long millis) {
        return CompletableFuture.delayedExecutor(millis, TimeUnit.MILLISECONDS, work);
    }

    IdentityService identity() {
        return identity;
    }

    MessageHistory history() {
        return history;
    }

    /** The list of conversations, to report an entry as changed. */
    ConversationList list() {
        return list;
    }

    MethodLinks links() {
        return links;
    }

    Negotiator negotiator() {
        return negotiator;
    }

    /**
     * A session from the profile's settings, under our name, with the ICE servers
     * {@link IceStrategy#first} picks out of {@link #iceServers()}.
     */
    PeerSession createSession() throws SessionException {
        Settings s = settings.get();
        return transport.createSession(new SessionConfig(IceStrategy.first(iceServers()), displayName,
                s.maxMessageBytes()));
    }

    /** Every STUN/TURN server a session may use: the options' (else the settings'), then the methods'. */
    List<IceServer> iceServers() {
        List<IceServer> ice = new ArrayList<>(options.iceServers().orElseGet(settings.get()::enabledIceServers));
        for (IceServer server : links.iceServers()) {
            if (!ice.contains(server)) {
                ice.add(server);
            }
        }
        return ice;
    }

    Proofs proofs() {
        return proofs;
    }

    /** The largest chat message the profile's settings allow. */
    long maxMessageBytes() {
        return settings.get().maxMessageBytes();
    }

    /** Whether a conversation of method {@code methodId} can be made again by itself. */
    boolean canReconnect(String methodId) {
        return links.isOnline(methodId) && links.methods().stream()
                .anyMatch(m -> m.id().equals(methodId) && m.can(ProviderCapability.CONNECT));
    }

    @Override
    public void post(ClientEvent event) {
        bus.post(event);
    }

    void ended(ChatConversation c) {
        conversations.remove(c);
        c.historyId().ifPresent(list::changed);
    }

    private ChatConversation newConversation(String methodId, PeerAddress peer, boolean asks) {
        if (closed) {
            throw new IllegalStateException("The client is closed.");
        }
        ChatConversation c = new ChatConversation(this, "c" + ids.incrementAndGet(), methodId, peer, asks);
        conversations.add(c);
        post(new ClientEvent.ConversationStarted(c));
        return c;
    }

    // ---- offers from the methods ---------------------------------------------------------------

    @Override
    public void offered(ConnectionProvider provider, InboundOffer offer) {
        PeerAddress from = offer.from();
        Optional<PublicIdentity> proved;
        try {
            proved = proofs.checkOffer(from, offer.offer());
        } catch (SignalingException e) {
            offer.reject(e.getMessage());
            post(new ClientEvent.RequestRefused(from, "Refused a request from " + from.shown() + ": "
                    + e.getMessage() + "."));
            return;
        }
        if (offer.reconnect()) {
            for (ChatConversation c : conversations) {
                if (c.methodId().equals(provider.id()) && c.restartedBy(offer, proved)) {
                    return; // our peer restarts ICE of the session we have: answered on it
                }
            }
            if (IceStrategy.updatesASession(offer.offer().description())) {
                // An ICE restart of a session this client no longer has (it was restarted): the peer
                // makes a new connection once the restart failed.
                offer.reject("This client has no longer the connection to restart.");
                return;
            }
            for (ChatConversation c : conversations) {
                if (c.methodId().equals(provider.id()) && c.continuedBy(from, proved)) {
                    // Our peer lost the connection and asks again, proving the key of this chat: no question.
                    negotiator.acceptReconnection(c, offer, proved);
                    return;
                }
            }
        }
        Request request = new Request("r" + ids.incrementAndGet(), from, proved, offer.reconnect(),
                ContactWarnings.forRequest(from.name(), proved, identity.contacts()));
        requests.put(request.id(), new Pending(request, offer));
        post(new ClientEvent.RequestReceived(request));
    }

    @Override
    public void withdrawn(InboundOffer offer) {
        for (Pending p : requests.values()) {
            if (p.offer().equals(offer) && requests.remove(p.request().id(), p)) {
                post(new ClientEvent.RequestWithdrawn(p.request()));
            }
        }
    }

    // ---- ChatClient ----------------------------------------------------------------------------

    @Override
    public PublicIdentity self() {
        return identity.self();
    }

    @Override
    public String displayName() {
        return displayName;
    }

    @Override
    public List<Contact> contacts() {
        return identity.contacts();
    }

    @Override
    public Verification verification(PublicIdentity key) {
        return list.verification(key);
    }

    @Override
    public List<ConnectionMethod> methods() {
        return links.methods();
    }

    @Override
    public List<BrokenProvider> brokenProviders() {
        return links.broken();
    }

    @Override
    public AutoCloseable subscribe(Executor executor, Consumer<ClientEvent> listener) {
        return bus.subscribe(executor, listener);
    }

    @Override
    public void goOnline(String methodId) {
        links.goOnline(methodId);
    }

    @Override
    public List<String> goOnlineAtStart() {
        return links.goOnlineAtStart();
    }

    @Override
    public void goOffline(String methodId) {
        links.goOffline(methodId);
        list.listed(methodId, List.of());
        for (Pending p : requests.values()) {
            if (p.request().from().provider().equals(methodId) && requests.remove(p.request().id(), p)) {
                post(new ClientEvent.RequestWithdrawn(p.request()));
            }
        }
    }

    @Override
    public CompletableFuture<List<PeerAddress>> peers(String methodId) {
        try {
            return links.onlineLink(methodId).peers().thenApply(peers -> {
                list.listed(methodId, peers);
                return ownList(peers);
            });
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * A method's peers changed by themselves: its list is asked for and posted. Changes that come
     * while a list is being asked for make one more list once it is there, never a queue of them.
     */
    @Override
    public void peersChanged(String methodId) {
        PeerRefresh refresh = peerRefreshes.computeIfAbsent(methodId, id -> new PeerRefresh());
        refresh.again.set(true);
        startPeerRefresh(methodId, refresh);
    }

    private void startPeerRefresh(String methodId, PeerRefresh refresh) {
        if (closed || !refresh.running.compareAndSet(false, true)) {
            return; // the one running asks again when it is done
        }
        try {
            work.execute(() -> {
                refresh.again.set(false);
                peers(methodId).whenComplete((peers, error) -> {
                    if (error != null) {
                        LOG.log(Level.DEBUG, "Could not list the peers of " + methodId + " after they changed", error);
                    } else if (!closed) {
                        post(new ClientEvent.PeersChanged(methodId, peers));
                    }
                    refresh.running.set(false);
                    if (refresh.again.get()) {
                        startPeerRefresh(methodId, refresh); // a change came meanwhile
                    }
                });
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            refresh.running.set(false); // closed
        }
    }

    /** Whether a method's list is being asked for, and whether a change came since it was asked. */
    private static final class PeerRefresh {
        final java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean();
        final java.util.concurrent.atomic.AtomicBoolean again = new java.util.concurrent.atomic.AtomicBoolean();
    }

    @Override
    public CompletableFuture<String> perform(String methodId, String actionId) {
        try {
            return links.onlineLink(methodId).perform(actionId);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** A method's list as views show it: without ourselves, the contacts first (a stable sort). */
    private List<PeerAddress> ownList(List<PeerAddress> peers) {
        String self = identity.self().key();
        java.util.Set<String> known = new java.util.HashSet<>();
        identity.contacts().forEach(c -> known.add(c.identity().key()));
        List<PeerAddress> contacts = new ArrayList<>();
        List<PeerAddress> others = new ArrayList<>();
        for (PeerAddress p : peers) {
            Optional<String> key = p.identity().map(PublicIdentity::key);
            if (key.filter(self::equals).isPresent()) {
                continue;
            }
            (key.filter(known::contains).isPresent() ? contacts : others).add(p);
        }
        contacts.addAll(others);
        return contacts;
    }

    @Override
    public CompletableFuture<PeerAddress> find(String methodId, String idOrName, Duration patience) {
        try {
            return new PeerFinder(links.onlineLink(methodId), idOrName, patience, this::after).find();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public Conversation connect(PeerAddress peer) {
        ChatConversation c = newConversation(peer.provider(), peer, true);
        if (peer.identity().filter(identity.self()::equals).isPresent()) {
            c.failed(new SignalingException("That is you: choose someone else to connect to."));
            return c;
        }
        try {
            negotiator.connect(c, links.onlineLink(peer.provider()), peer);
        } catch (RuntimeException e) {
            c.failed(e);
        }
        return c;
    }

    @Override
    public Conversation accept(Request request) {
        Pending p = requests.remove(request.id());
        if (p == null) {
            throw new IllegalArgumentException("The request from " + request.from().shown()
                    + " was answered or withdrawn already.");
        }
        ChatConversation c = newConversation(request.from().provider(), request.from(), false);
        negotiator.accept(c, p.offer(), request.identity());
        return c;
    }

    @Override
    public void reject(Request request) {
        Pending p = requests.remove(request.id());
        if (p != null) {
            p.offer().reject(null);
        }
    }

    @Override
    public PasteExchange paste() {
        ConnectionProvider provider = links.first(ProviderCapability.PASTE).orElseThrow(() -> new IllegalStateException(
                "No connection method for copy and paste is installed (the manual exchange plug-in is missing)."));
        PasteCodec codec = links.link(provider).paste().orElseThrow(() -> new IllegalStateException(
                "The connection method " + provider.displayName() + " gave no text form for descriptions."));
        ChatConversation c = newConversation(provider.id(), null, true);
        return new PasteSession(c, codec, identity, proofs);
    }

    @Override
    public List<Conversation> conversations() {
        return List.copyOf(conversations);
    }

    @Override
    public Ongoing ongoing() {
        List<Conversation> live = conversations.stream()
                .filter(c -> c.state() == ConversationState.CONNECTED || c.state() == ConversationState.RECONNECTING)
                .map(Conversation.class::cast).toList();
        FileTransferService f = files;
        List<TransferStatus> moving = f == null ? List.of() : f.transfers().stream()
                .filter(t -> t.state() == TransferStatus.State.RUNNING || t.state() == TransferStatus.State.VERIFYING)
                .toList();
        return new Ongoing(live, moving);
    }

    // ---- the history ---------------------------------------------------------------------------

    @Override
    public List<ConversationEntry> conversationList() {
        return list.entries();
    }

    @Override
    public HistoryPage page(String historyId, long beforeRow, int limit) {
        return history.page(historyId, beforeRow, limit);
    }

    @Override
    public List<FileItem> fileItems(String historyId) {
        FileTransferService service = files;
        Optional<String> key = history.conversation(historyId).flatMap(c -> c.peerKey());
        if (service == null || key.isEmpty()) {
            return List.of();
        }
        return service.transfers().stream().filter(s -> s.peerKey().equals(key.get()))
                .sorted(Comparator.comparingLong(TransferStatus::created))
                .map(s -> new FileItem(s, service.files(s.id()))).toList();
    }

    @Override
    public List<SearchHit> search(String text, int limit) {
        return history.search(text, limit);
    }

    @Override
    public void markRead(String historyId) {
        history.markRead(historyId);
        list.changed(historyId);
    }

    @Override
    public CompletableFuture<Void> delete(String historyId) {
        return list.delete(historyId);
    }

    @Override
    public String export(String historyId) {
        return history.export(historyId);
    }

    @Override
    public CompletableFuture<Conversation> reopen(String historyId) {
        return list.reopen(historyId);
    }

    @Override
    public CompletableFuture<Void> sendAgain(String historyId, String messageId) {
        Optional<Conversation> live = list.live(historyId).filter(c -> !c.state().isFinal());
        if (live.isPresent()) {
            return ((ChatConversation) live.get()).sendAgain(messageId);
        }
        return reopen(historyId).thenCompose(c -> ((ChatConversation) c).sendAgain(messageId));
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<CompletableFuture<Void>> leaving = new ArrayList<>();
        for (ChatConversation c : conversations) {
            leaving.add(c.leave());
        }
        try {
            CompletableFuture.allOf(leaving.toArray(CompletableFuture[]::new)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            LOG.log(Level.DEBUG, "leaving failed", e);
        }
        for (Pending p : requests.values()) {
            p.offer().reject(null);
        }
        requests.clear();
        links.close();
        filesChanged(null);
        onClose.accept(this);
    }

    /** The error without the wrappers futures add. */
    static Throwable cause(Throwable error) {
        Throwable t = error;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** The reason a person reads, without the wrappers futures add. */
    static String message(Throwable error) {
        Throwable t = cause(error);
        if (t instanceof java.util.concurrent.TimeoutException) {
            return "no answer in time";
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
