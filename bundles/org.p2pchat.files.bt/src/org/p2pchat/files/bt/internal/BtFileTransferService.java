package org.p2pchat.files.bt.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.p2pchat.core.ConnectionState;
import org.p2pchat.core.PeerDataChannel;
import org.p2pchat.core.PeerSession;
import org.p2pchat.core.files.FileSettings;
import org.p2pchat.core.files.FileTransferService;
import org.p2pchat.core.files.TransferFile;
import org.p2pchat.core.files.TransferListener;
import org.p2pchat.core.files.TransferStatus;
import org.p2pchat.core.files.TransferStatus.Direction;
import org.p2pchat.core.identity.IdentityService;
import org.p2pchat.core.identity.PublicIdentity;
import org.p2pchat.core.settings.ServiceEntry;
import org.p2pchat.core.settings.SettingsStore;

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
 * This class is the DS facade: it owns the engine thread and the listeners and wires the parts
 * together: {@link TransferProtocol} (the states and the control messages), {@link TransferRunner}
 * (Bt), {@link PathBroker} (direct TCP or data channel) and {@link TransferFiles} with
 * {@link TransferStore} (the files and the transfer list).
 * <p>
 * Threads: all state changes happen on one engine thread, which also tells the listeners;
 * libwebrtc's and Bt's threads only hand work to it. Public methods wait for the engine.
 */
@Component(service = FileTransferService.class)
public final class BtFileTransferService implements FileTransferService, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(BtFileTransferService.class.getName());

    /** Our clients name themselves "p2pchat-..." in the join notice; the web app names nothing. */
    static final String OUR_CLIENT_PREFIX = "p2pchat-";
    static final long PEER_CLIENT_WAIT_MS = 2000;
    static final long OFFER_ANSWER_TIMEOUT_MS = 20_000;
    /** {@code false} keeps every connection on data channels (hostile local networks, tests). */
    public static final String DIRECT_PATH_PROPERTY = "p2pchat.files.directPath";

    private final Map<PeerSession, PeerLink> links = new ConcurrentHashMap<>();

    private Supplier<String> ourName;
    private EngineThread engine;
    private volatile boolean closed;
    private final boolean directPath;
    private TransferList list;
    private TransferProtocol protocol;
    private TransferRunner runner;
    private PathBroker broker;
    /** The user's trackers, as the settings hold them now. */
    private Supplier<List<ServiceEntry>> trackers = List::of;
    private TrackerSelection usableTrackers;

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
        trackers = () -> s.section(FileSettings.SECTION).read(FileSettings.class, FileSettings::defaults).trackers();
        open(s.profileDirectory(), () -> s.get().username());
    }

    @Deactivate
    void deactivate() {
        close();
    }

    private void open(Path profileDirectory, Supplier<String> name) throws IOException {
        Path profile = Files.createDirectories(profileDirectory);
        this.ourName = name;
        this.usableTrackers = new TrackerSelection(trackers);
        this.engine = new EngineThread();
        this.list = new TransferList(new TransferStore(profile));
        this.protocol = new TransferProtocol(new Wiring(), () -> identity.self().key());
        this.broker = new PathBroker(directPath, engine, engine.workers());
        this.runner = new TransferRunner(protocol, broker, engine, engine.workers(), usableTrackers);
        engine.call(() -> {
            list.load(protocol);
            return null;
        });
        engine.every(list::tick, TransferList.TICK_MS);
    }

    /** What the protocol makes happen: Bt, the paths, the files, saving and telling. */
    private final class Wiring implements TransferProtocol.Effects {
        @Override
        public void start(Transfer t) {
            runner.start(t);
        }

        @Override
        public void stop(Transfer t) {
            runner.stop(t);
        }

        @Override
        public void changed(Transfer t) {
            list.changed(t);
        }

        @Override
        public void directAsk(ControlSession session, Transfer t, Control.Message ask) {
            broker.answerDirectAsk(session, t, ask);
        }

        @Override
        public String ourName(ControlSession session) {
            return BtFileTransferService.this.ourName(session);
        }
    }

    /** Runs {@code task} on the engine thread later (PeerLink's events). */
    void post(Runnable task) {
        engine.execute(task);
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
        post(() -> protocol.identified(link, key));
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
        if (protocol.waitsForPeer() && supportsQuietly(link)) {
            protocol.sendHello(link);
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

    /** The name the session introduces us by (the CLI's --name), else the profile's username. */
    String ourName(ControlSession link) {
        String n = link.displayName();
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
        protocol.sessionClosed(link);
    }

    /** Engine: one control message from the peer of {@code link}. */
    void received(PeerLink link, Control.Message m) {
        protocol.received(link, m);
    }

    /** On libwebrtc's thread: the receiver's Bt reaches our seed through a new channel. */
    void bridgeOpened(PeerLink link, String transferId, PeerDataChannel channel) {
        broker.bridgeOpened(link, protocol.transfer(transferId), channel);
    }

    // ---- the user's decisions -------------------------------------------------------------------

    @Override
    public TransferStatus offer(PeerSession session, List<Path> files) throws IOException {
        if (files.isEmpty() || files.size() > TransferProtocol.MAX_FILES_PER_OFFER) {
            throw new IOException("Offer between 1 and " + TransferProtocol.MAX_FILES_PER_OFFER + " files.");
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
        Transfer t = Transfer.offering(files, usableTrackers.get());
        return engine.call(() -> {
            if (protocol.offer(link, t)) {
                t.answerTimeout = engine.schedule(() -> protocol.offerUnanswered(t), OFFER_ANSWER_TIMEOUT_MS);
            }
            return t.status(System.nanoTime());
        });
    }

    @Override
    public void accept(String transferId, Path directory) throws IOException {
        Path dir = (directory == null ? FileTransferService.defaultDownloadDirectory() : directory)
                .toAbsolutePath().normalize();
        engine.call(() -> {
            protocol.accept(transferId, dir);
            return null;
        });
    }

    @Override
    public void decline(String transferId) {
        engine.run(() -> protocol.decline(transferId));
    }

    @Override
    public void pause(String transferId) {
        engine.run(() -> protocol.pause(transferId));
    }

    @Override
    public void resume(String transferId) {
        engine.run(() -> protocol.resume(transferId));
    }

    @Override
    public void cancel(String transferId) {
        engine.run(() -> protocol.cancel(transferId));
    }

    // ---- the list ---------------------------------------------------------------------------------

    @Override
    public List<TransferStatus> transfers() {
        try {
            return engine.call(list::statuses);
        } catch (IOException e) {
            return List.of();
        }
    }

    @Override
    public List<TransferFile> files(String transferId) {
        Transfer t = protocol.transfer(transferId);
        if (t == null) {
            return List.of();
        }
        boolean received = t.direction == Direction.RECEIVING;
        return t.record.files.stream().map(f -> new TransferFile(f.name, f.size, f.type,
                received && f.target != null ? Optional.of(Path.of(f.target)) : Optional.empty())).toList();
    }

    /** Where the received files of a transfer are (final names once done); empty if none. */
    public List<Path> receivedFiles(String transferId) {
        Transfer t = protocol.transfer(transferId);
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
        broker.rewriteDirectOffers(rewrite);
    }

    /** Where a transfer we send listens for a direct connection now; empty if nowhere. */
    public List<InetSocketAddress> directEndpoints(String transferId) {
        Transfer t = protocol.transfer(transferId);
        DirectListener listener = t == null ? null : t.directListener;
        return listener == null ? List.of() : listener.endpoints();
    }

    /** Bytes that came from the peer through this process's bridges (of either kind) for a transfer. */
    public long bridgedBytes(String transferId) {
        Transfer t = protocol.transfer(transferId);
        return t == null ? 0 : t.bridgedIn.get();
    }

    @Override
    public void addListener(TransferListener listener) {
        list.addListener(listener);
    }

    @Override
    public void removeListener(TransferListener listener) {
        list.removeListener(listener);
    }

    /** The selected trackers our Bt can announce to (see {@link TrackerSelection}). */
    List<String> usableTrackers() {
        return usableTrackers.get();
    }

    /**
     * Tests: with {@code false}, our seeds refuse the chat peer's connections (data channel and
     * direct), as if we could not be reached, so only peers found through trackers can serve the
     * peer; {@code true} restores them.
     */
    public void serveChatPeer(boolean serve) {
        broker.serveChatPeer(serve);
    }

    /** The .torrent of a file of a transfer, as offered; null for an empty file or an unknown transfer. */
    public byte[] torrent(String transferId, int index) {
        Transfer t = protocol.transfer(transferId);
        if (t == null || index < 0 || index >= t.record.files.size() || t.record.files.get(index).torrent == null) {
            return null;
        }
        return Base64.getDecoder().decode(t.record.files.get(index).torrent);
    }

    /** Stops every transfer (they resume on the next start) and Bt. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        try {
            engine.call(() -> {
                for (Transfer t : protocol.transfers()) {
                    runner.stop(t);
                }
                list.save();
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
        engine.shutdown();
    }
}
