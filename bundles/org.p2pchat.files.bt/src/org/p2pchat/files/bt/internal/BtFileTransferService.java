package org.p2pchat.files.bt.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.p2pchat.core.ConnectionState;
import org.p2pchat.core.PeerDataChannel;
import org.p2pchat.core.PeerSession;
import org.p2pchat.core.files.FileTransferService;
import org.p2pchat.core.files.TransferFile;
import org.p2pchat.core.files.TransferListener;
import org.p2pchat.core.files.TransferStatus;
import org.p2pchat.core.files.TransferStatus.Direction;
import org.p2pchat.core.files.TransferStatus.State;
import org.p2pchat.core.identity.IdentityService;
import org.p2pchat.core.identity.PublicIdentity;
import org.p2pchat.core.settings.ServiceEntry;
import org.p2pchat.core.settings.SettingsStore;
import org.p2pchat.core.text.DisplayNames;

import bt.metainfo.Torrent;
import bt.metainfo.TorrentFile;

/**
 * File transfer with BitTorrent (Bt): the sender makes a torrent of each file and seeds it from
 * disk; the receiver downloads straight to disk; the BitTorrent connections run through data
 * channels of the chat's peer connection (see {@link ChannelBridge}), negotiated by the messages
 * of {@link Control}. Files of one offer go one after another; transfers run side by side.
 * <p>
 * Where the peer is reachable on the local network, a BitTorrent connection goes over an
 * encrypted direct TCP connection instead ({@link DirectLink}), which is several times faster:
 * for each connection the receiver's Bt makes, the receiver asks the sender for the addresses
 * and secret of a {@link DirectListener} over the control channel, and uses a data channel if
 * none answers within about two seconds. The system property {@value #DIRECT_PATH_PROPERTY}
 * {@code =false} turns this off.
 * <p>
 * If the user selected udp:// trackers, the torrents we offer name them, and both sides' Bt
 * announces to its own user's selection and also takes the peers those trackers return (other
 * kinds of trackers are skipped, see {@link #usableTrackers()}). Our Bt still listens on loopback
 * only: it dials such peers, they cannot dial it.
 * <p>
 * Threads: all state changes happen on one engine thread, which also tells the listeners;
 * libwebrtc's and Bt's threads only hand work to it. Public methods wait for the engine.
 */
@Component(service = FileTransferService.class)
public final class BtFileTransferService implements FileTransferService, AutoCloseable {

    /** Our clients name themselves "p2pchat-..." in the join notice; the web app names nothing. */
    static final String OUR_CLIENT_PREFIX = "p2pchat-";
    static final long PEER_CLIENT_WAIT_MS = 2000;
    static final long OFFER_ANSWER_TIMEOUT_MS = 20_000;
    static final long TICK_MS = 250;
    static final long PROGRESS_REPORT_NANOS = 500_000_000L;
    /**
     * How often the list is saved while something runs: after a crash the list then shows about
     * where each transfer stood (Bt rechecks the pieces on disk anyway before resuming).
     */
    static final long PROGRESS_SAVE_NANOS = 2_000_000_000L;
    static final int MAX_FILES_PER_OFFER = 1000;
    /** Attach messages kept while a session's peer is not verified yet; more are not a real peer's. */
    static final int MAX_HELD_ATTACHES = 1000;
    static final int MAX_NAME_CHARS = 100;
    private static final long CALL_TIMEOUT_SECONDS = 60;
    private static final long SEED_WAIT_MINUTES = 10;
    private static final String OCTET_STREAM = "application/octet-stream";
    private static final SecureRandom RANDOM = new SecureRandom();
    /** {@code false} keeps every connection on data channels (hostile local networks, tests). */
    public static final String DIRECT_PATH_PROPERTY = "p2pchat.files.directPath";
    /** How long the receiver waits for the sender's answer to a direct-ask. */
    static final long DIRECT_ANSWER_WAIT_MS = 2000;
    static final int DIRECT_ATTEMPT_MS = 1000;
    static final int DIRECT_CONNECT_TOTAL_MS = 2000;

    private final Map<String, Transfer> transfers = new ConcurrentHashMap<>();
    private final Map<PeerSession, PeerLink> links = new ConcurrentHashMap<>();
    private final List<TransferListener> listeners = new CopyOnWriteArrayList<>();

    private Path profile;
    private Supplier<String> ourName;
    /** When the transfer list was last saved; engine thread only. */
    private long lastSavedNanos;
    private TransferStore store;
    private ScheduledExecutorService engine;
    private Thread engineThread;
    private ExecutorService workers;
    private volatile boolean closed;
    private final boolean directPath;
    private volatile UnaryOperator<List<InetSocketAddress>> directOfferRewrite = UnaryOperator.identity();
    /** The user's trackers, as the settings hold them now. */
    private Supplier<List<ServiceEntry>> trackers = List::of;
    /** Selected trackers our engine cannot use, named in the log once. */
    private final Set<String> unusableTrackersLogged = ConcurrentHashMap.newKeySet();
    private volatile boolean chatPeerServed = true;

    @Reference
    private SettingsStore settings;

    /** Our identity: resume proofs name its key and the peer's. */
    @Reference
    private IdentityService identity;

    /** For DS. */
    public BtFileTransferService() {
        directPath = directPathByDefault();
    }

    /** Whether the direct path is allowed unless a caller says: {@value #DIRECT_PATH_PROPERTY}, read when a service is made. */
    private static boolean directPathByDefault() {
        return !"false".equalsIgnoreCase(System.getProperty(DIRECT_PATH_PROPERTY));
    }

    /** For a second instance in one process (tests, tools): its own profile directory, name and identity. */
    public BtFileTransferService(Path profileDirectory, String name, IdentityService identity) throws IOException {
        this(profileDirectory, name, identity, directPathByDefault());
    }

    /** @param directPath whether Bt may use a direct TCP connection to the peer (both sides must allow it) */
    public BtFileTransferService(Path profileDirectory, String name, IdentityService identity, boolean directPath)
            throws IOException {
        this(profileDirectory, name, identity, directPath, List::of);
    }

    /** @param trackers the user's trackers (see {@link #usableTrackers()}), asked whenever a transfer starts */
    public BtFileTransferService(Path profileDirectory, String name, IdentityService identity, boolean directPath,
            Supplier<List<ServiceEntry>> trackers) throws IOException {
        this.directPath = directPath;
        this.trackers = trackers;
        this.identity = identity;
        open(profileDirectory, () -> name);
    }

    @Activate
    void activate() throws IOException {
        SettingsStore s = settings;
        trackers = () -> s.get().trackers();
        open(s.profileDirectory(), () -> s.get().username());
    }

    @Deactivate
    void deactivate() {
        close();
    }

    private void open(Path profileDirectory, Supplier<String> name) throws IOException {
        this.profile = Files.createDirectories(profileDirectory);
        this.ourName = name;
        this.store = new TransferStore(profile);
        this.engine = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "p2pchat-files");
            t.setDaemon(true);
            engineThread = t;
            return t;
        });
        this.workers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "p2pchat-files-worker");
            t.setDaemon(true);
            return t;
        });
        call(() -> {
            for (TransferStore.Record r : store.load()) {
                Transfer t = restore(r);
                if (t != null) {
                    transfers.put(r.id, t);
                }
            }
            return null;
        });
        engine.scheduleWithFixedDelay(this::tick, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
    }

    /** A stored transfer as it stands after a restart: what was moving waits for the peer. */
    private Transfer restore(TransferStore.Record r) {
        Torrent[] torrents = new Torrent[r.files.size()];
        try {
            for (int i = 0; i < torrents.length; i++) {
                String torrent = r.files.get(i).torrent;
                torrents[i] = torrent == null ? null : BtEngine.parse(Base64.getDecoder().decode(torrent));
            }
            State.valueOf(r.state);
            Direction.valueOf(r.direction);
        } catch (RuntimeException e) {
            return null; // damaged entry: forget it
        }
        Transfer t = new Transfer(r, torrents);
        if (t.state() == State.RUNNING || t.state() == State.VERIFYING) {
            t.state(State.INTERRUPTED, null);
        }
        return t;
    }

    // ---- engine thread plumbing -------------------------------------------------------------

    void post(Runnable task) {
        if (closed) {
            return;
        }
        try {
            engine.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.ERROR, "a file transfer task failed", e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing
        }
    }

    private <T> T call(Callable<T> task) throws IOException {
        if (Thread.currentThread() == engineThread) {
            try {
                return task.call();
            } catch (IOException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IOException(e.getMessage(), e);
            }
        }
        if (closed) {
            throw new IOException("file transfer has shut down");
        }
        Future<T> f = engine.submit(task);
        try {
            return f.get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) {
                throw io;
            }
            if (c instanceof RuntimeException re) {
                throw re;
            }
            throw new IOException(c.getMessage(), c);
        } catch (TimeoutException e) {
            throw new IOException("file transfer is not responding");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }

    private void run(Callable<Void> task) {
        try {
            call(task);
        } catch (IOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    // ---- sessions ---------------------------------------------------------------------------

    @Override
    public void attach(PeerSession session) {
        link(session);
    }

    private PeerLink link(PeerSession session) {
        return links.computeIfAbsent(session, s -> {
            PeerLink l = new PeerLink(s, this);
            s.addListener(l);
            if (s.state() == ConnectionState.CONNECTED) {
                post(() -> linkConnected(l));
            }
            return l;
        });
    }

    @Override
    public void verified(PeerSession session, PublicIdentity peer) {
        PeerLink link = link(session);
        String key = peer.key();
        post(() -> identified(link, key));
    }

    /**
     * Engine: the session's peer proved {@code key}. Transfers begun on it before we knew are bound
     * to that key; the resume proofs that waited for it are answered now.
     */
    private void identified(PeerLink link, String key) {
        if (link.peerKey != null) {
            if (!link.peerKey.equals(key)) {
                // One session, one peer: a second, different key is a client bug or an attack; trust neither.
                link.peerKey = "";
                link.heldAttaches.clear();
            }
            return;
        }
        link.peerKey = key;
        for (Transfer t : transfers.values()) {
            if (t.link == link && t.record.peerKey == null) {
                t.record.peerKey = key;
            }
        }
        if (link.peerNonce != null) {
            sendAttaches(link);
        }
        List<Control.Message> held = List.copyOf(link.heldAttaches);
        link.heldAttaches.clear();
        for (Control.Message m : held) {
            Transfer t = transfers.get(m.id);
            if (t != null) {
                attach(link, t, m);
            }
        }
    }

    @Override
    public boolean supports(PeerSession session) {
        PeerLink l = link(session);
        if (l.peerLacksFiles) {
            return false;
        }
        try {
            String client = session.peerClient().get(PEER_CLIENT_WAIT_MS, TimeUnit.MILLISECONDS);
            return client != null && client.startsWith(OUR_CLIENT_PREFIX);
        } catch (TimeoutException | ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Engine: a session is up. Unfinished transfers may be with this peer: say hello so it can attach them. */
    void linkConnected(PeerLink link) {
        boolean unfinished = transfers.values().stream().anyMatch(t -> t.link == null && attachable(t));
        if (unfinished && supportsQuietly(link)) {
            sendHello(link);
        }
    }

    private boolean supportsQuietly(PeerLink link) {
        try {
            String client = link.session.peerClient().get(5, TimeUnit.SECONDS);
            return client.startsWith(OUR_CLIENT_PREFIX);
        } catch (TimeoutException | ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static boolean attachable(Transfer t) {
        return !t.state().isFinal()
                || (t.direction == Direction.RECEIVING && t.state() == State.DONE && !t.record.receiptSent);
    }

    private void sendHello(PeerLink link) {
        if (link.helloSent) {
            return;
        }
        Control.Message m = new Control.Message("hello");
        m.v = Control.VERSION;
        m.name = ourName(link);
        m.nonce = link.nonce;
        try {
            link.send(m);
            link.helloSent = true;
        } catch (IOException e) {
            // the session went away; its next connection tries again
        }
    }

    /** The name the session introduces us by (the CLI's --name), else the profile's username. */
    String ourName(PeerLink link) {
        String n = link.session.displayName();
        if (n == null || n.isBlank()) {
            n = ourName.get();
        }
        return n == null || n.isBlank() ? "anonymous" : n;
    }

    /** Engine: a session ended; what ran over it waits for the peer to come back. */
    void linkClosed(PeerLink link) {
        link.close();
        links.remove(link.session, link);
        link.session.removeListener(link);
        for (Transfer t : transfers.values()) {
            if (t.link != link) {
                continue;
            }
            t.link = null;
            if (t.state() == State.RUNNING) {
                stopRunning(t);
                t.state(State.INTERRUPTED, null);
                changed(t);
            }
        }
    }

    // ---- offering ---------------------------------------------------------------------------

    @Override
    public TransferStatus offer(PeerSession session, List<Path> files) throws IOException {
        if (files.isEmpty() || files.size() > MAX_FILES_PER_OFFER) {
            throw new IOException("Offer between 1 and " + MAX_FILES_PER_OFFER + " files.");
        }
        PeerLink link = link(session);
        if (!supports(session)) {
            if (WebAppNotice.isWebApp(session)) {
                WebAppNotice.ourFilesCannotGo(session, ourName(link), files.stream()
                        .map(p -> String.valueOf(p.getFileName())).toList());
                throw new IOException("Your peer uses the web app, which cannot exchange files with this client "
                        + "(they were told so in the chat).");
            }
            throw new IOException("Your peer's app cannot exchange files with this one.");
        }
        // Hashing takes a while for big files: on the caller's thread, not the engine's.
        TransferStore.Record r = new TransferStore.Record();
        r.id = UUID.randomUUID().toString();
        byte[] token = new byte[32];
        RANDOM.nextBytes(token);
        r.token = Base64.getEncoder().encodeToString(token);
        r.direction = Direction.SENDING.name();
        r.state = State.WAITING_FOR_PEER.name();
        r.created = System.currentTimeMillis();
        Torrent[] torrents = new Torrent[files.size()];
        for (int i = 0; i < files.size(); i++) {
            Path p = files.get(i).toAbsolutePath().normalize();
            if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
                throw new IOException("Cannot read " + p);
            }
            TransferStore.FileRecord f = new TransferStore.FileRecord();
            f.name = p.getFileName().toString();
            f.size = Files.size(p);
            f.source = p.toString();
            f.sourceModified = Files.getLastModifiedTime(p).toMillis();
            String type = null;
            try {
                type = Files.probeContentType(p);
            } catch (IOException e) {
                // unknown type
            }
            f.type = type == null ? OCTET_STREAM : type;
            if (f.size > 0) {
                byte[] torrent;
                try {
                    torrent = BtEngine.makeTorrent(p, f.size, usableTrackers());
                } catch (RuntimeException e) {
                    throw new IOException("Cannot read " + p + ": " + e.getMessage(), e);
                }
                f.torrent = Base64.getEncoder().encodeToString(torrent);
                torrents[i] = BtEngine.parse(torrent);
            }
            r.files.add(f);
        }
        return call(() -> {
            Transfer t = new Transfer(r, torrents);
            t.link = link;
            r.peerName = link.peerName;
            r.peerKey = verifiedKey(link);
            transfers.put(r.id, t);
            Control.Message m = new Control.Message("offer").id(r.id);
            m.name = ourName(link);
            m.token = r.token;
            m.files = new ArrayList<>();
            for (TransferStore.FileRecord f : r.files) {
                Control.FileInfo info = new Control.FileInfo();
                info.name = f.name;
                info.size = f.size;
                info.type = f.type;
                info.torrent = f.torrent;
                m.files.add(info);
            }
            try {
                sendHello(link);
                link.send(m);
                t.answerTimeout = engine.schedule(() -> offerUnanswered(t), OFFER_ANSWER_TIMEOUT_MS,
                        TimeUnit.MILLISECONDS);
            } catch (IOException e) {
                t.state(State.FAILED, "Could not send the offer: " + e.getMessage());
            }
            changed(t);
            return t.status(System.nanoTime());
        });
    }

    private void offerUnanswered(Transfer t) {
        if (!t.offerAnswered && t.state() == State.WAITING_FOR_PEER && t.link != null) {
            PeerLink l = t.link;
            if (l != null) {
                l.peerLacksFiles = true;
            }
            t.state(State.FAILED, peer(t) + "'s app did not answer the offer; it may not be able to receive files.");
            changed(t);
        }
    }

    // ---- the receiver's decisions -----------------------------------------------------------

    @Override
    public void accept(String transferId, Path directory) throws IOException {
        Path dir = (directory == null ? FileTransferService.defaultDownloadDirectory() : directory)
                .toAbsolutePath().normalize();
        call(() -> {
            Transfer t = require(transferId);
            if (t.direction != Direction.RECEIVING || t.state() != State.OFFERED) {
                throw new IllegalStateException("This transfer is not waiting to be accepted.");
            }
            Files.createDirectories(dir);
            List<Path> claimed = new ArrayList<>();
            try {
                for (TransferStore.FileRecord f : t.record.files) {
                    Path target = FileNames.claim(dir, f.name);
                    claimed.add(target);
                    f.target = target.toString();
                }
            } catch (IOException e) {
                for (Path p : claimed) {
                    Files.deleteIfExists(FileNames.partOf(p));
                }
                throw e;
            }
            t.record.directory = dir.toString();
            PeerLink link = t.link;
            if (link != null && link.isConnected()) {
                send(t, new Control.Message("accept").id(t.id()));
                t.state(State.RUNNING, null);
                startReceiving(t);
            } else {
                t.state(State.INTERRUPTED, null); // accepted; the peer learns it when it is back
            }
            changed(t);
            return null;
        });
    }

    @Override
    public void decline(String transferId) {
        run(() -> {
            Transfer t = require(transferId);
            if (t.direction == Direction.RECEIVING && t.state() == State.OFFERED) {
                send(t, new Control.Message("decline").id(t.id()));
                t.state(State.DECLINED, null);
                changed(t);
            }
            return null;
        });
    }

    @Override
    public void pause(String transferId) {
        run(() -> {
            Transfer t = require(transferId);
            if (t.state() == State.RUNNING || t.state() == State.INTERRUPTED) {
                send(t, new Control.Message("pause").id(t.id()));
                pauseHere(t);
            }
            return null;
        });
    }

    private void pauseHere(Transfer t) {
        stopRunning(t);
        t.state(State.PAUSED, null);
        changed(t);
    }

    @Override
    public void resume(String transferId) {
        run(() -> {
            Transfer t = require(transferId);
            if (t.state() == State.PAUSED) {
                send(t, new Control.Message("resume").id(t.id()));
                resumeHere(t);
            }
            return null;
        });
    }

    private void resumeHere(Transfer t) {
        PeerLink link = t.link;
        if (link == null || !link.isConnected()) {
            t.state(State.INTERRUPTED, null);
        } else {
            t.state(State.RUNNING, null);
            startRunning(t);
        }
        changed(t);
    }

    @Override
    public void cancel(String transferId) {
        run(() -> {
            Transfer t = require(transferId);
            if (!t.state().isFinal()) {
                send(t, new Control.Message("cancel").id(t.id()));
                end(t, State.CANCELLED, null);
            }
            return null;
        });
    }

    private Transfer require(String id) {
        Transfer t = transfers.get(id);
        if (t == null) {
            throw new IllegalArgumentException("No transfer " + id);
        }
        return t;
    }

    /** Best effort: a message lost with its session is made up for by the attach on reconnect. */
    private void send(Transfer t, Control.Message m) {
        PeerLink link = t.link;
        if (link != null && !link.closed) {
            try {
                link.send(m);
            } catch (IOException e) {
                // the session is going; linkClosed follows
            }
        }
    }

    // ---- control messages -------------------------------------------------------------------

    /** Engine: one message from the peer of {@code link}. */
    void received(PeerLink link, Control.Message m) {
        trace(link, "<- " + m.t + " " + m.id + " " + m.state);
        if (link.closed) {
            return;
        }
        if ("hello".equals(m.t)) {
            hello(link, m);
            return;
        }
        if (m.id == null) {
            return;
        }
        Transfer t = transfers.get(m.id);
        if ("offer".equals(m.t)) {
            if (t == null) {
                offered(link, m);
            }
            return;
        }
        if (t == null) {
            return; // not ours: say nothing (ids of other peers' transfers must not be confirmed)
        }
        if ("attach".equals(m.t)) {
            attach(link, t, m);
            return;
        }
        if ("attached".equals(m.t)) {
            attached(link, t, m);
            return;
        }
        if (t.link != link) {
            return; // only the bound session may steer a transfer
        }
        switch (m.t) {
            case "offered" -> t.offerAnswered = true;
            case "accept" -> {
                if (t.direction == Direction.SENDING && t.state() == State.WAITING_FOR_PEER) {
                    t.offerAnswered = true;
                    t.state(State.RUNNING, null);
                    startRunning(t);
                    changed(t);
                }
            }
            case "decline" -> {
                if (t.direction == Direction.SENDING && t.state() == State.WAITING_FOR_PEER) {
                    end(t, State.DECLINED, null);
                }
            }
            case "pause" -> {
                if (t.state() == State.RUNNING || t.state() == State.INTERRUPTED) {
                    pauseHere(t);
                }
            }
            case "resume" -> {
                if (t.state() == State.PAUSED) {
                    resumeHere(t);
                }
            }
            case "cancel" -> {
                if (!t.state().isFinal()) {
                    end(t, State.CANCELLED, null);
                }
            }
            case "progress" -> {
                if (t.direction == Direction.SENDING && m.done != null) {
                    t.peerDone = m.done;
                }
            }
            case "next" -> {
                if (t.direction == Direction.SENDING && m.index != null && m.index > t.record.current
                        && m.index < t.record.files.size()) {
                    stopRunning(t);
                    for (int i = 0; i < m.index; i++) {
                        t.record.files.get(i).done = true;
                    }
                    t.record.current = m.index;
                    if (t.state() == State.RUNNING) {
                        startRunning(t);
                    }
                    changed(t);
                }
            }
            case "direct-ask" -> answerDirectAsk(link, t, m);
            case "direct-offer" -> {
                CompletableFuture<Control.Message> waiting = m.request == null ? null : t.directAnswers.remove(m.request);
                if (waiting != null) {
                    waiting.complete(m);
                }
            }
            case "receipt" -> {
                if (t.direction == Direction.SENDING && !t.state().isFinal()) {
                    t.record.files.forEach(f -> f.done = true);
                    end(t, State.DONE, null);
                }
            }
            case "failed" -> {
                if (!t.state().isFinal()) {
                    end(t, State.FAILED, m.problem == null ? peer(t) + "'s side failed." : clip(m.problem));
                }
            }
            default -> {
                // a newer peer's message: ignore
            }
        }
    }

    private void hello(PeerLink link, Control.Message m) {
        if (m.v == null || m.v != Control.VERSION || m.nonce == null || !PeerLink.isNonce(m.nonce)
                || (link.peerNonce != null && !link.peerNonce.equals(m.nonce))) {
            return; // a nonce changed within a session would let old proofs count again
        }
        boolean first = link.peerNonce == null;
        link.peerNonce = m.nonce;
        link.peerName = peerName(m.name);
        sendHello(link);
        if (first && link.peerKey != null) {
            sendAttaches(link);
        } // else: once the session's peer is verified (identified)
    }

    /**
     * Receiver: our transfers that wait for this session's peer, each with a proof that we hold
     * its token, bound to this session's two nonces, both keys and the direction. Only transfers
     * with the key this session's peer proved: nobody else learns they exist.
     */
    private void sendAttaches(PeerLink link) {
        String peerKey = verifiedKey(link);
        if (link.attachesSent || peerKey == null) {
            return;
        }
        link.attachesSent = true;
        for (Transfer t : transfers.values()) {
            if (t.direction == Direction.RECEIVING && t.link == null && attachable(t)
                    && peerKey.equals(t.record.peerKey)) {
                Control.Message a = new Control.Message("attach").id(t.id());
                a.proof = proof(t.token(), ATTACH, peerKey, selfKey(), link.peerNonce, link.nonce);
                a.state = t.state().name();
                a.index = t.record.current;
                try {
                    link.send(a);
                } catch (IOException e) {
                    return;
                }
            }
        }
    }

    /** Sender: the receiver of {@code t} is back on a new session. */
    private void attach(PeerLink link, Transfer t, Control.Message m) {
        if (t.direction != Direction.SENDING || m.proof == null || link.peerNonce == null) {
            return;
        }
        if (link.peerKey == null) {
            // The attach may arrive before the client told us who this session's peer is.
            if (link.heldAttaches.size() < MAX_HELD_ATTACHES) {
                link.heldAttaches.add(m);
            }
            return;
        }
        String peerKey = verifiedKey(link);
        if (peerKey == null || !peerKey.equals(t.record.peerKey)
                || !MessageDigest.isEqual(proof(t.token(), ATTACH, selfKey(), peerKey, link.nonce, link.peerNonce)
                        .getBytes(StandardCharsets.US_ASCII), m.proof.getBytes(StandardCharsets.US_ASCII))) {
            return; // another peer's transfer, or a proof made for another session: say nothing
        }
        if (t.link != null && t.link != link) {
            stopRunning(t);
        }
        t.link = link;
        t.offerAnswered = true;
        if (link.peerName != null) {
            t.record.peerName = link.peerName;
        }
        Control.Message reply = new Control.Message("attached").id(t.id());
        reply.proof = proof(t.token(), ATTACHED, selfKey(), peerKey, link.nonce, link.peerNonce);
        State receiver = parseState(m.state);
        if (t.state().isFinal()) {
            reply.state = t.state().name();
            reply.problem = t.record.problem;
        } else if (receiver == State.OFFERED) {
            reply.state = State.WAITING_FOR_PEER.name();
        } else if (receiver == State.DONE) {
            reply.state = State.RUNNING.name(); // the receipt follows
        } else if (t.state() == State.PAUSED || receiver == State.PAUSED) {
            stopRunning(t);
            t.state(State.PAUSED, null);
            reply.state = State.PAUSED.name();
        } else {
            if (m.index != null && m.index > t.record.current && m.index < t.record.files.size()) {
                t.record.current = m.index;
            }
            stopRunning(t);
            t.state(State.RUNNING, null);
            startRunning(t);
            reply.state = State.RUNNING.name();
        }
        try {
            link.send(reply);
        } catch (IOException e) {
            return;
        }
        changed(t);
    }

    /** Receiver: the sender took us back; it proves it knows the token, as we did. */
    private void attached(PeerLink link, Transfer t, Control.Message m) {
        String peerKey = verifiedKey(link);
        if (t.direction != Direction.RECEIVING || (t.link != null && t.link != link) || m.proof == null
                || peerKey == null || !peerKey.equals(t.record.peerKey) || link.peerNonce == null
                || !MessageDigest.isEqual(proof(t.token(), ATTACHED, peerKey, selfKey(), link.peerNonce, link.nonce)
                        .getBytes(StandardCharsets.US_ASCII), m.proof.getBytes(StandardCharsets.US_ASCII))) {
            return;
        }
        t.link = link;
        if (link.peerName != null) {
            t.record.peerName = link.peerName;
        }
        State sender = parseState(m.state);
        if (t.state() == State.DONE) {
            sendReceipt(t);
        } else if (sender != null && sender.isFinal()) {
            end(t, sender, m.problem == null ? null : clip(m.problem));
        } else if (sender == State.PAUSED) {
            stopRunning(t);
            t.state(State.PAUSED, null);
            changed(t);
        } else if (sender == State.RUNNING && (t.state() == State.INTERRUPTED || t.state() == State.RUNNING)) {
            if (t.record.files.stream().allMatch(f -> f.target != null)) {
                stopRunning(t);
                t.state(State.RUNNING, null);
                startRunning(t);
                changed(t);
            }
        }
    }

    /** Receiver: a new offer. Everything in it is checked before it is shown. */
    private void offered(PeerLink link, Control.Message m) {
        String problem = null;
        List<Control.FileInfo> files = m.files;
        TransferStore.Record r = new TransferStore.Record();
        Torrent[] torrents = null;
        if (files == null || files.isEmpty() || files.size() > MAX_FILES_PER_OFFER || m.token == null) {
            problem = "the offer lists no files";
        } else {
            torrents = new Torrent[files.size()];
            for (int i = 0; i < files.size() && problem == null; i++) {
                Control.FileInfo f = files.get(i);
                if (f == null || f.size < 0) {
                    problem = "a file in the offer has no size";
                    break;
                }
                TransferStore.FileRecord fr = new TransferStore.FileRecord();
                fr.name = FileNames.sanitize(f.name);
                fr.size = f.size;
                fr.type = f.type == null ? OCTET_STREAM : clip(f.type);
                if (f.size > 0) {
                    try {
                        byte[] bytes = Base64.getDecoder().decode(f.torrent == null ? "" : f.torrent);
                        Torrent t = BtEngine.parse(bytes);
                        List<TorrentFile> tf = t.getFiles();
                        if (tf.size() != 1 || t.getSize() != f.size || tf.get(0).getSize() != f.size) {
                            problem = "the torrent of " + fr.name + " does not match the file";
                        }
                        torrents[i] = t;
                        fr.torrent = f.torrent;
                    } catch (RuntimeException e) {
                        problem = "the torrent of " + fr.name + " is not valid";
                    }
                }
                r.files.add(fr);
            }
        }
        if (problem != null) {
            Control.Message fail = new Control.Message("failed").id(m.id);
            fail.problem = "Your offer was refused: " + problem + ".";
            try {
                link.send(fail);
            } catch (IOException e) {
                // gone
            }
            return;
        }
        r.id = m.id;
        r.token = m.token;
        r.direction = Direction.RECEIVING.name();
        r.state = State.OFFERED.name();
        r.created = System.currentTimeMillis();
        if (m.name != null) {
            link.peerName = peerName(m.name);
        }
        r.peerName = link.peerName;
        r.peerKey = verifiedKey(link);
        Transfer t = new Transfer(r, torrents);
        t.link = link;
        transfers.put(r.id, t);
        try {
            link.send(new Control.Message("offered").id(r.id));
        } catch (IOException e) {
            // the sender learns of it on reconnect
        }
        changed(t);
    }

    // ---- running ------------------------------------------------------------------------------

    /**
     * Starts Bt for the current file unless it runs already. Each transfer has a Bt runtime of
     * its own while it runs: Bt 1.10 cannot start a torrent again in the runtime that stopped it
     * (pause, resume), and a fresh runtime rechecks the pieces on disk, which is how it resumes.
     */
    private void startRunning(Transfer t) {
        if (t.client != null) {
            return;
        }
        if (t.direction == Direction.SENDING) {
            startSeeding(t);
        } else {
            startReceiving(t);
        }
    }

    /** Stops Bt and the bridges of {@code t}; the files stay as they are. */
    private void stopRunning(Transfer t) {
        t.generation++;
        if (t.client != null) {
            try {
                t.client.stop();
            } catch (RuntimeException e) {
                // stopped already
            }
            t.client = null;
        }
        if (t.engine != null) {
            t.engine.close();
            t.engine = null;
        }
        if (t.bridgePort != null) {
            try {
                t.bridgePort.close();
            } catch (IOException e) {
                // closed
            }
            t.bridgePort = null;
        }
        if (t.directListener != null) {
            t.directListener.close();
            t.directListener = null;
        }
        t.directAnswers.values().forEach(waiting -> waiting.complete(null));
        t.directAnswers.clear();
        for (Bridge b : t.bridges) {
            b.close();
        }
        t.bridges.clear();
        if (t.storage != null) {
            t.storage.close();
            t.storage = null;
        }
        t.seedReady = null;
        t.btState = null;
    }

    private void startSeeding(Transfer t) {
        int index = t.record.current;
        TransferStore.FileRecord f = t.record.files.get(index);
        String problem = sourceProblem(f);
        if (problem != null) {
            failBoth(t, problem);
            return;
        }
        CompletableFuture<Void> ready = new CompletableFuture<>();
        t.seedReady = ready;
        Torrent torrent = t.torrents[index];
        if (torrent == null) {
            ready.complete(null); // an empty file: nothing to serve
            return;
        }
        int generation = ++t.generation;
        try {
            t.storage = new FileStorage(Path.of(f.source), f.size, false,
                    e -> post(() -> ioFailed(t, generation, f, e)));
            t.engine = new BtEngine(usableTrackers());
            t.client = t.engine.seed(torrent, t.storage, state -> {
                t.btState = state;
                if (state.getPiecesRemaining() == 0) {
                    ready.complete(null);
                }
            });
        } catch (IOException | RuntimeException e) {
            failBoth(t, "BitTorrent could not start: " + e.getMessage());
        }
    }

    /** Why a file being sent can no longer be sent, or null. */
    private static String sourceProblem(TransferStore.FileRecord f) {
        Path p = Path.of(f.source);
        try {
            if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(p)) {
                return f.name + " was moved or deleted before it was sent completely.";
            }
            if (Files.size(p) != f.size || Files.getLastModifiedTime(p).toMillis() != f.sourceModified) {
                return f.name + " was changed before it was sent completely.";
            }
        } catch (IOException e) {
            return f.name + " cannot be read: " + e.getMessage();
        }
        return null;
    }

    private void ioFailed(Transfer t, int generation, TransferStore.FileRecord f, IOException e) {
        if (t.generation != generation || t.state().isFinal()) {
            return;
        }
        String reason = e instanceof java.nio.file.NoSuchFileException ? "the file is gone" : e.getMessage();
        if (t.direction == Direction.SENDING) {
            failBoth(t, "Could not read " + f.name + ": " + reason + ".");
        } else if (noSpaceLeft(e, Path.of(t.record.directory))) {
            // Both sides show this: it names what to do, not who should do it.
            failBoth(t, "No space left in " + t.record.directory + " for " + f.name
                    + ": free some space there, then it can be sent again.");
        } else {
            failBoth(t, "Could not write " + f.name + " to " + t.record.directory + ": " + reason + ".");
        }
    }

    /** Whether a write failed because the disk (or the user's quota) is full. */
    private static boolean noSpaceLeft(IOException e, Path directory) {
        String message = String.valueOf(e.getMessage());
        // The JDK passes on the system's text: ENOSPC and EDQUOT on Linux and macOS, and Windows'.
        if (message.contains("No space left") || message.contains("quota exceeded")
                || message.contains("not enough space")) {
            return true;
        }
        try {
            return Files.getFileStore(directory).getUsableSpace() == 0;
        } catch (IOException | RuntimeException unknown) {
            return false;
        }
    }

    private void failBoth(Transfer t, String problem) {
        Control.Message m = new Control.Message("failed").id(t.id());
        m.problem = problem;
        send(t, m);
        end(t, State.FAILED, problem);
    }

    private void startReceiving(Transfer t) {
        int index = t.record.current;
        TransferStore.FileRecord f = t.record.files.get(index);
        Path target = Path.of(f.target);
        Path part = FileNames.partOf(target);
        Torrent torrent = t.torrents[index];
        if (torrent == null) {
            int generation = ++t.generation;
            t.state(State.VERIFYING, null);
            workers.execute(() -> finishFile(t, generation, index, part, target, null));
            return;
        }
        int generation = ++t.generation;
        t.directFailed = false;
        try {
            ServerSocketChannel port = ServerSocketChannel.open();
            port.bind(new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 4);
            t.bridgePort = port;
            Thread acceptor = new Thread(() -> acceptBridges(t, port), "p2pchat-files-bridge-port");
            acceptor.setDaemon(true);
            acceptor.start();
            t.storage = new FileStorage(part, f.size, true, e -> post(() -> ioFailed(t, generation, f, e)));
            CompletableFuture<Void> done = new CompletableFuture<>();
            t.engine = new BtEngine(usableTrackers());
            t.client = t.engine.download(torrent, t.storage, (InetSocketAddress) port.getLocalAddress(),
                    state -> t.btState = state, done);
            done.whenComplete((r, e) -> post(() -> {
                if (t.generation != generation) {
                    return;
                }
                if (e != null) {
                    failBoth(t, "BitTorrent stopped: " + e.getMessage());
                    return;
                }
                stopRunning(t);
                int g = ++t.generation;
                t.state(State.VERIFYING, null);
                changed(t);
                workers.execute(() -> finishFile(t, g, index, part, target, torrent));
            }));
        } catch (IOException | RuntimeException e) {
            failBoth(t, "BitTorrent could not start: " + e.getMessage());
        }
    }

    /**
     * Bt dials the loopback port; each connection becomes a bridge, over a direct connection if the
     * sender offers one that works, else over a new data channel.
     */
    private void acceptBridges(Transfer t, ServerSocketChannel port) {
        while (port.isOpen()) {
            SocketChannel socket;
            try {
                socket = port.accept();
            } catch (IOException e) {
                return;
            }
            PeerLink link = t.link;
            if (link == null || !link.isConnected() || t.state() != State.RUNNING) {
                close(socket); // paused or away: Bt tries again later
                continue;
            }
            try {
                workers.execute(() -> bridgeConnection(t, link, port, socket));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                close(socket); // shutting down
            }
        }
    }

    /** On a worker: the receiver's side of one Bt connection. */
    private void bridgeConnection(Transfer t, PeerLink link, ServerSocketChannel port, SocketChannel socket) {
        DirectLink direct = directPath && !t.directFailed ? connectDirect(t, link) : null;
        if (!port.isOpen()) {
            close(socket);
            if (direct != null) {
                direct.close();
            }
            return;
        }
        if (direct != null) {
            trace(link, "direct connection to " + direct.remoteAddress() + " for " + t.id());
            startBridge(t, new DirectBridge("p2pchat-files-direct", direct, () -> socket, null, t.bridgedIn::addAndGet,
                    t.bridges::remove));
            return;
        }
        link.session.openDataChannel(PeerLink.BRIDGE_LABEL_PREFIX + t.id()).whenComplete((channel, e) -> {
            if (e != null || !port.isOpen()) {
                close(socket);
                if (channel != null) {
                    channel.close();
                }
                return;
            }
            startBridge(t, new ChannelBridge("p2pchat-files-bridge", channel, () -> socket, null,
                    t.bridgedIn::addAndGet, t.bridges::remove));
        });
    }

    /**
     * Receiver: asks the sender where its Bt can be reached directly and connects there; null if
     * the sender offers nothing or nothing offered answers in time (the rest of this run then
     * uses data channels at once).
     */
    private DirectLink connectDirect(Transfer t, PeerLink link) {
        String request = UUID.randomUUID().toString();
        CompletableFuture<Control.Message> answer = new CompletableFuture<>();
        t.directAnswers.put(request, answer);
        try {
            Control.Message ask = new Control.Message("direct-ask").id(t.id());
            ask.request = request;
            link.send(ask);
            Control.Message offer = answer.get(DIRECT_ANSWER_WAIT_MS, TimeUnit.MILLISECONDS);
            List<InetSocketAddress> endpoints = new ArrayList<>();
            if (offer != null && offer.endpoints != null) {
                for (Control.Endpoint e : offer.endpoints) {
                    InetAddress address = e == null ? null : DirectListener.parseAddress(e.address);
                    if (address != null && DirectListener.usable(address) && e.port > 0 && e.port < 65536
                            && endpoints.size() < DirectListener.MAX_ENDPOINTS) {
                        endpoints.add(new InetSocketAddress(address, e.port));
                    }
                }
            }
            byte[] secret = offer == null || offer.secret == null ? null : Base64.getDecoder().decode(offer.secret);
            if (endpoints.isEmpty() || secret == null || secret.length != DirectLink.SECRET_BYTES) {
                t.directFailed = true;
                return null;
            }
            return DirectLink.connect(endpoints, secret, DIRECT_ATTEMPT_MS, DIRECT_CONNECT_TOTAL_MS);
        } catch (IOException | TimeoutException | ExecutionException | IllegalArgumentException e) {
            trace(link, "no direct connection for " + t.id() + ": " + e.getMessage());
            t.directFailed = true;
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } finally {
            t.directAnswers.remove(request);
        }
    }

    /** Engine, sender: the receiver's Bt wants a connection; offer a direct one if we may. */
    private void answerDirectAsk(PeerLink link, Transfer t, Control.Message ask) {
        Control.Message reply = new Control.Message("direct-offer").id(t.id());
        reply.request = ask.request;
        if (directPath && t.direction == Direction.SENDING && t.state() == State.RUNNING && t.seedReady != null) {
            if (t.directListener == null) {
                try {
                    DirectListener[] listener = new DirectListener[1];
                    listener[0] = new DirectListener(DirectListener.localAddresses(link.session.selectedPath()),
                            "p2pchat-files-direct-port", accepted -> post(() -> directAccepted(t, listener[0], accepted)));
                    t.directListener = listener[0];
                } catch (IOException e) {
                    trace(link, "no direct listener: " + e.getMessage());
                }
            }
            DirectListener listener = t.directListener;
            if (listener != null) {
                reply.endpoints = new ArrayList<>();
                for (InetSocketAddress a : directOfferRewrite.apply(listener.endpoints())) {
                    Control.Endpoint e = new Control.Endpoint();
                    e.address = a.getAddress().getHostAddress();
                    e.port = a.getPort();
                    reply.endpoints.add(e);
                }
                reply.secret = Base64.getEncoder().encodeToString(listener.secret());
            }
        }
        send(t, reply);
    }

    /** Engine, sender: the receiver connected directly and proved the secret. */
    private void directAccepted(Transfer t, DirectListener listener, DirectLink accepted) {
        if (t.directListener != listener || t.state() != State.RUNNING) {
            accepted.close();
            return;
        }
        startBridge(t, new DirectBridge("p2pchat-files-direct", accepted, seedConnector(t, () -> !accepted.isClosed()),
                offeredTorrent(t), t.bridgedIn::addAndGet, t.bridges::remove));
    }

    private static void startBridge(Transfer t, Bridge bridge) {
        t.bridges.add(bridge);
        t.path = bridge.path();
        bridge.start();
    }

    /** On libwebrtc's thread: the receiver's Bt reaches our seed through a new channel. */
    void bridgeOpened(PeerLink link, String transferId, PeerDataChannel channel) {
        Transfer t = transfers.get(transferId);
        if (t == null || t.direction != Direction.SENDING || t.link != link
                || (t.state() != State.RUNNING && t.state() != State.WAITING_FOR_PEER)) {
            channel.close();
            return;
        }
        startBridge(t, new ChannelBridge("p2pchat-files-bridge", channel, seedConnector(t, channel::isOpen),
                offeredTorrent(t), t.bridgedIn::addAndGet, t.bridges::remove));
    }

    /** Sender: connects to our Bt once it has checked the file (or once the accept that starts seeding arrived). */
    private Callable<SocketChannel> seedConnector(Transfer t, BooleanSupplier peerStillThere) {
        return () -> {
            if (!chatPeerServed) {
                throw new IOException("not serving the chat peer");
            }
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(SEED_WAIT_MINUTES);
            while (System.nanoTime() < deadline && peerStillThere.getAsBoolean()) {
                CompletableFuture<Void> ready = t.seedReady;
                BtEngine engine = t.engine;
                if (ready != null && engine != null) {
                    try {
                        ready.get(200, TimeUnit.MILLISECONDS);
                        return engine.connectToAcceptor();
                    } catch (TimeoutException e) {
                        continue;
                    }
                }
                Thread.sleep(50);
            }
            throw new IOException("the file is not ready to be sent");
        };
    }

    /** Sender: the peer's Bt may ask only for the torrents of this transfer. */
    private static Predicate<byte[]> offeredTorrent(Transfer t) {
        return hash -> {
            for (Torrent torrent : t.torrents) {
                if (torrent != null && Arrays.equals(torrent.getTorrentId().getBytes(), hash)) {
                    return true;
                }
            }
            return false;
        };
    }

    /** On a worker: reads the finished file back, checks every piece, gives it its final name. */
    private void finishFile(Transfer t, int generation, int index, Path part, Path target, Torrent torrent) {
        String problem;
        Path published = null;
        try {
            problem = torrent == null ? null : PieceCheck.verify(part, torrent);
            if (problem == null) {
                if (torrent == null && !Files.exists(part)) {
                    Files.createFile(part);
                }
                published = FileNames.publish(part, target);
            }
        } catch (IOException e) {
            problem = e.getMessage();
        }
        String failure = problem;
        Path result = published;
        post(() -> {
            if (t.generation != generation || t.state().isFinal()) {
                return;
            }
            TransferStore.FileRecord f = t.record.files.get(index);
            if (failure != null) {
                failBoth(t, f.name + " arrived damaged (" + failure + ").");
                return;
            }
            f.done = true;
            f.target = result.toString();
            if (index + 1 < t.record.files.size()) {
                t.record.current = index + 1;
                Control.Message next = new Control.Message("next").id(t.id());
                next.index = index + 1;
                send(t, next);
                PeerLink link = t.link;
                if (link != null && link.isConnected()) {
                    t.state(State.RUNNING, null);
                    startReceiving(t);
                } else {
                    t.state(State.INTERRUPTED, null);
                }
                changed(t);
            } else {
                t.state(State.DONE, null);
                sendReceipt(t);
                changed(t);
            }
        });
    }

    private void sendReceipt(Transfer t) {
        PeerLink link = t.link;
        if (link == null || link.closed) {
            return;
        }
        Control.Message m = new Control.Message("receipt").id(t.id());
        m.files = new ArrayList<>();
        for (TransferStore.FileRecord f : t.record.files) {
            Control.FileInfo info = new Control.FileInfo();
            info.name = f.name;
            info.size = f.size;
            m.files.add(info);
        }
        try {
            link.send(m);
            t.record.receiptSent = true;
            save();
        } catch (IOException e) {
            // sent when the peer is back
        }
    }

    /** Final state: stops everything; a receiver's unfinished files are removed. */
    private void end(Transfer t, State state, String problem) {
        stopRunning(t);
        if (t.answerTimeout != null) {
            t.answerTimeout.cancel(false);
        }
        if (t.direction == Direction.RECEIVING && state != State.DONE) {
            for (TransferStore.FileRecord f : t.record.files) {
                if (!f.done && f.target != null) {
                    try {
                        Files.deleteIfExists(FileNames.partOf(Path.of(f.target)));
                    } catch (IOException e) {
                        // left behind as .part; harmless
                    }
                }
            }
        }
        t.state(state, problem);
        changed(t);
    }

    // ---- progress and listeners ---------------------------------------------------------------

    /** Engine, every {@value #TICK_MS} ms: progress to listeners and to the sender; sources still there. */
    private void tick() {
        long now = System.nanoTime();
        boolean running = false;
        for (Transfer t : transfers.values()) {
            State s = t.state();
            running |= s == State.RUNNING;
            if (s.isFinal() && s != State.DONE) {
                continue;
            }
            if (s == State.RUNNING && t.direction == Direction.SENDING) {
                String problem = sourceProblem(t.record.files.get(t.record.current));
                if (problem != null) {
                    failBoth(t, problem);
                    continue;
                }
            }
            if (s == State.RUNNING && t.direction == Direction.RECEIVING
                    && now - t.lastProgressSent > PROGRESS_REPORT_NANOS) {
                t.lastProgressSent = now;
                Control.Message m = new Control.Message("progress").id(t.id());
                m.done = t.doneBytes();
                send(t, m);
            }
            fire(t, now);
        }
        if (running && now - lastSavedNanos > PROGRESS_SAVE_NANOS) {
            save();
        }
    }

    /** Engine: the state of {@code t} changed: save and tell. */
    private void changed(Transfer t) {
        save();
        fire(t, System.nanoTime());
    }

    private void fire(Transfer t, long now) {
        TransferStatus status = t.changed(now);
        if (status == null) {
            return;
        }
        for (TransferListener l : listeners) {
            try {
                l.transferChanged(status);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "transfer listener " + l + " failed", e);
            }
        }
    }

    private void save() {
        lastSavedNanos = System.nanoTime();
        List<TransferStore.Record> records = new ArrayList<>();
        transfers.values().stream().sorted(Comparator.comparingLong((Transfer t) -> t.record.created).reversed())
                .forEach(t -> {
                    t.noteProgress();
                    records.add(t.record);
                });
        while (records.size() > TransferStore.MAX_KEPT) {
            TransferStore.Record oldest = records.remove(records.size() - 1);
            transfers.remove(oldest.id);
        }
        try {
            store.save(records);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "could not save the transfer list: " + e.getMessage());
        }
    }

    @Override
    public List<TransferStatus> transfers() {
        try {
            return call(() -> {
                long now = System.nanoTime();
                return transfers.values().stream()
                        .sorted(Comparator.comparingLong((Transfer t) -> t.record.created).reversed())
                        .map(t -> t.status(now)).toList();
            });
        } catch (IOException e) {
            return List.of();
        }
    }

    @Override
    public List<TransferFile> files(String transferId) {
        Transfer t = transfers.get(transferId);
        if (t == null) {
            return List.of();
        }
        return t.record.files.stream().map(f -> new TransferFile(f.name, f.size, f.type)).toList();
    }

    /** Where the received files of a transfer are (final names once done); empty if none. */
    public List<Path> receivedFiles(String transferId) {
        Transfer t = transfers.get(transferId);
        if (t == null || t.direction != Direction.RECEIVING) {
            return List.of();
        }
        return t.record.files.stream().filter(f -> f.target != null).map(f -> Path.of(f.target)).toList();
    }

    /**
     * Tests: the endpoints our direct offers name pass through {@code rewrite} (e.g. to one where
     * nothing listens); {@code null} restores them.
     */
    public void rewriteDirectOffers(UnaryOperator<List<InetSocketAddress>> rewrite) {
        directOfferRewrite = rewrite == null ? UnaryOperator.identity() : rewrite;
    }

    /** Where a transfer we send listens for a direct connection now; empty if nowhere. */
    public List<InetSocketAddress> directEndpoints(String transferId) {
        Transfer t = transfers.get(transferId);
        DirectListener listener = t == null ? null : t.directListener;
        return listener == null ? List.of() : listener.endpoints();
    }

    /** Bytes that came from the peer through this process's bridges (of either kind) for a transfer. */
    public long bridgedBytes(String transferId) {
        Transfer t = transfers.get(transferId);
        return t == null ? 0 : t.bridgedIn.get();
    }

    @Override
    public void addListener(TransferListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeListener(TransferListener listener) {
        listeners.remove(listener);
    }

    /**
     * The selected trackers our Bt can announce to: udp:// ones (Bt has a client for no other
     * kind). The others (the web app's wss:// trackers, http) are left out, and named in the log
     * once, so a transfer never fails for them. Peers found through a tracker exchange data as
     * plain BitTorrent: unencrypted, unlike the chat peer's bridge.
     */
    List<String> usableTrackers() {
        List<String> udp = new ArrayList<>();
        for (ServiceEntry e : trackers.get()) {
            if (!e.enabled() || e.problem().isPresent()) {
                continue;
            }
            String url = e.url();
            if (url.regionMatches(true, 0, UDP_TRACKER_PREFIX, 0, UDP_TRACKER_PREFIX.length())) {
                udp.add(UDP_TRACKER_PREFIX + url.substring(UDP_TRACKER_PREFIX.length())); // Bt wants it lower case
            } else if (unusableTrackersLogged.add(url)) {
                LOG.log(System.Logger.Level.WARNING, "the tracker " + url + " is not used for file transfers; "
                        + "only udp:// trackers are");
            }
        }
        return udp;
    }

    private static final String UDP_TRACKER_PREFIX = "udp://";

    /**
     * Tests: with {@code false}, our seeds refuse the chat peer's connections (data channel and
     * direct), as if we could not be reached, so only peers found through trackers can serve the
     * peer; {@code true} restores them.
     */
    public void serveChatPeer(boolean serve) {
        chatPeerServed = serve;
    }

    /** The .torrent of a file of a transfer, as offered; null for an empty file or an unknown transfer. */
    public byte[] torrent(String transferId, int index) {
        Transfer t = transfers.get(transferId);
        if (t == null || index < 0 || index >= t.record.files.size() || t.record.files.get(index).torrent == null) {
            return null;
        }
        return Base64.getDecoder().decode(t.record.files.get(index).torrent);
    }

    // ---- helpers ------------------------------------------------------------------------------

    private static final System.Logger LOG = System.getLogger(BtFileTransferService.class.getName());
    private static final boolean TRACE = Boolean.getBoolean("p2pchat.files.trace");

    /** With -Dp2pchat.files.trace=true: the control messages, for finding out what went wrong. */
    static void trace(PeerLink link, String what) {
        if (TRACE) {
            LOG.log(System.Logger.Level.INFO, "[files " + Integer.toHexString(System.identityHashCode(link)) + "] " + what);
        }
    }

    /** The direction of a resume proof: the receiver's {@code attach}, the sender's {@code attached}. */
    private static final String ATTACH = "receiver attaches";
    private static final String ATTACHED = "sender attached";

    /**
     * A resume proof: HMAC(token) over the direction, both identity keys and both nonces of the
     * session, so it counts for this session between these two peers only and cannot be relayed
     * by a third peer, replayed on another session, or reflected back.
     */
    private static String proof(byte[] token, String direction, String senderKey, String receiverKey,
            String senderNonce, String receiverNonce) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(token, "HmacSHA256"));
            // Keys and nonces are base64 (checked), so a line break cannot shift one field into another.
            String bound = String.join("\n", "p2pchat-files resume v2", direction, senderKey, receiverKey, senderNonce,
                    receiverNonce);
            return Base64.getEncoder().encodeToString(mac.doFinal(bound.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private String selfKey() {
        return identity.self().key();
    }

    /** The key the session's peer proved; null while unknown, or if the session was given two keys. */
    private static String verifiedKey(PeerLink link) {
        String key = link.peerKey;
        return key == null || key.isEmpty() ? null : key;
    }

    /** A name the peer gave itself, as shown: cleaned like every display name; null if none is left. */
    static String peerName(String s) {
        String name = DisplayNames.clean(s, MAX_NAME_CHARS);
        return name.isEmpty() ? null : name;
    }

    private static State parseState(String s) {
        try {
            return s == null ? null : State.valueOf(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String peer(Transfer t) {
        return t.record.peerName == null ? "Your peer" : t.record.peerName;
    }

    /** Text from the peer is shown to the user: bounded, one line, no control characters. */
    static String clip(String s) {
        if (s == null) {
            return null;
        }
        String clean = s.codePoints().filter(cp -> !Character.isISOControl(cp)
                && Character.getType(cp) != Character.FORMAT)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return clean.length() > 300 ? clean.substring(0, 300) + "..." : clean;
    }

    private static void close(SocketChannel s) {
        try {
            s.close();
        } catch (IOException e) {
            // closed
        }
    }

    /** Stops every transfer (they resume on the next start) and Bt. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        try {
            call(() -> {
                for (Transfer t : transfers.values()) {
                    stopRunning(t);
                }
                save();
                for (PeerLink l : links.values()) {
                    l.session.removeListener(l);
                    l.close();
                }
                links.clear();
                return null;
            });
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "closing: " + e.getMessage());
        }
        closed = true;
        engine.shutdownNow();
        workers.shutdownNow();
    }
}
