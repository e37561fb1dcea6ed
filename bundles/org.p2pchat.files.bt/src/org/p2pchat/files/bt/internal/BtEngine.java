package org.p2pchat.files.bt.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;

import bt.Bt;
import bt.data.Storage;
import bt.event.EventSource;
import bt.metainfo.MetadataService;
import bt.metainfo.Torrent;
import bt.metainfo.TorrentFile;
import bt.metainfo.TorrentId;
import bt.metainfo.TorrentSource;
import bt.module.BitTorrentProtocol;
import bt.module.PeerConnectionSelector;
import bt.module.ServiceModule;
import bt.net.DataReceiver;
import bt.net.IConnectionHandlerFactory;
import bt.net.IPeerConnectionFactory;
import bt.net.InetPeer;
import bt.net.Peer;
import bt.net.PeerConnectionFactory;
import bt.net.SharedSelector;
import bt.net.buffer.IBufferManager;
import bt.net.pipeline.IChannelPipelineFactory;
import bt.peer.PeerSource;
import bt.protocol.Message;
import bt.protocol.handler.MessageHandler;
import bt.runtime.BtClient;
import bt.runtime.BtRuntime;
import bt.runtime.Config;
import bt.service.IdentityService;
import bt.torrent.TorrentRegistry;
import bt.torrent.TorrentSessionState;
import bt.torrent.maker.TorrentBuilder;
import bt.tracker.AnnounceKey;
import bt.tracker.Tracker;
import bt.tracker.udp.UdpTrackerFactory;

/**
 * A Bt runtime: its acceptor listens on loopback only; the peers it dials are the loopback bridge
 * we name per torrent (the chat peer) and, if the user selected UDP trackers, the peers those
 * trackers return. No DHT, no local service discovery (multicast), no peer exchange (every
 * bridged peer is 127.0.0.1), no MSE (the data channel is DTLS-encrypted already), and timings
 * tuned for one fast peer instead of a public swarm.
 */
final class BtEngine implements AutoCloseable {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    /** Keeps a torrent of any size to a few thousand pieces (a small .torrent) of 256 KiB to 16 MiB. */
    private static final int TARGET_PIECES = 4000;
    /** One UDP announce attempt (BEP 15's first wait), not Bt's retries for minutes. */
    private static final Duration TRACKER_TIMEOUT = Duration.ofSeconds(15);

    private final BtRuntime runtime;
    private final InetAddress acceptorAddress;
    private final int acceptorPort;
    /** Torrent → where its peer is: the loopback port of the bridge that leads to it. */
    private final Map<TorrentId, InetSocketAddress> peers = new ConcurrentHashMap<>();
    /** udp:// URLs of the trackers to announce our torrents to; maybe none. */
    private final List<String> trackers;
    /** Torrent → the peers its trackers return, for the torrents we run. */
    private final Map<TorrentId, TrackerPeers> trackerPeers = new ConcurrentHashMap<>();
    private final ExecutorService announcers;
    private final Config outwardConfig;

    /** @param trackers udp:// URLs of the trackers to announce to and take peers from, in addition to the chat peer */
    BtEngine(List<String> trackers) throws IOException {
        this(LOOPBACK, trackers);
    }

    /** @param acceptorAddress loopback, except for measuring a direct path */
    BtEngine(InetAddress acceptorAddress, List<String> trackers) throws IOException {
        this.acceptorAddress = acceptorAddress;
        this.trackers = List.copyOf(trackers);
        acceptorPort = freePort(acceptorAddress);
        announcers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "p2pchat-files-tracker-" + acceptorPort);
            t.setDaemon(true);
            return t;
        });
        Config config = new Config();
        config.setAcceptorAddress(acceptorAddress); // the default is the first non-loopback address
        config.setAcceptorPort(acceptorPort);
        config.setMseDisabled(true);
        // Defaults suit a public swarm; one peer over one link wants short waits and bans.
        config.setMaxMessageProcessingInterval(Duration.ofMillis(1));
        config.setMaxSimultaneouslyAssignedPieces(10);
        config.setPeerDiscoveryInterval(Duration.ofSeconds(1));
        config.setPeerConnectionRetryInterval(Duration.ofSeconds(1));
        config.setUnreachablePeerBanDuration(Duration.ofSeconds(1));
        config.setTimeoutedAssignmentPeerBanDuration(Duration.ofSeconds(1));
        config.setShutdownHookTimeout(Duration.ofSeconds(1));
        config.setNumOfHashingThreads(2);
        config.setTrackerTimeout(TRACKER_TIMEOUT);
        // What reaches out (tracker announces, connections to trackers' peers) leaves from any
        // address; Bt would bind it to the acceptor's, and loopback reaches nothing outside.
        outwardConfig = new Config(config);
        outwardConfig.setAcceptorAddress(new InetSocketAddress(0).getAddress());
        runtime = BtRuntime.builder(config)
                .disableLocalServiceDiscovery()
                .disablePeerExchange()
                .disableAutomaticShutdown()
                .module(binder -> {
                    ServiceModule.contributePeerSourceFactory(binder).addBinding().toInstance(this::peerSource);
                    ServiceModule.contributePeerSourceFactory(binder).addBinding().toInstance(this::trackerPeers);
                })
                .module(new OutwardConnections(outwardConfig))
                .build();
    }

    /** Bt's outgoing connections, bound to {@code outward}'s address instead of the acceptor's. */
    static final class OutwardConnections extends AbstractModule {
        private final Config outward;

        OutwardConnections(Config outward) {
            this.outward = outward;
        }

        @Provides
        @Singleton
        IPeerConnectionFactory peerConnectionFactory(@PeerConnectionSelector SharedSelector selector,
                IConnectionHandlerFactory connectionHandlerFactory,
                @BitTorrentProtocol MessageHandler<Message> protocol, TorrentRegistry torrentRegistry,
                IChannelPipelineFactory channelPipelineFactory, IBufferManager bufferManager,
                DataReceiver dataReceiver, EventSource eventSource) {
            return new PeerConnectionFactory(selector, connectionHandlerFactory, channelPipelineFactory, protocol,
                    torrentRegistry, bufferManager, dataReceiver, eventSource, outward);
        }
    }

    private PeerSource trackerPeers(TorrentId torrent) {
        TrackerPeers source = trackerPeers.get(torrent);
        return source != null ? source : NO_PEERS;
    }

    private static final PeerSource NO_PEERS = new PeerSource() {
        @Override
        public boolean update() {
            return false;
        }

        @Override
        public Collection<Peer> getPeers() {
            return new ArrayList<>();
        }
    };

    /** Bt's UDP tracker client, its socket bound to any address (see {@link #outwardConfig}). */
    private Tracker udpTracker(String url) {
        return new UdpTrackerFactory(runtime.service(IdentityService.class), runtime.service(TorrentRegistry.class),
                outwardConfig).getTracker(url);
    }

    /**
     * The torrent as our Bt sees it: its trackers are ours (added separately), never the ones a
     * peer's .torrent names, and it is never private, which would stop Bt asking for the chat peer.
     */
    private Torrent ours(Torrent torrent) {
        if (!trackers.isEmpty()) {
            trackerPeers.put(torrent.getTorrentId(), new TrackerPeers(torrent.getTorrentId(), trackers,
                    this::udpTracker, announcers));
        }
        return new Torrent() {
            @Override
            public TorrentSource getSource() {
                return torrent.getSource();
            }

            @Override
            public Optional<AnnounceKey> getAnnounceKey() {
                return Optional.empty();
            }

            @Override
            public TorrentId getTorrentId() {
                return torrent.getTorrentId();
            }

            @Override
            public String getName() {
                return torrent.getName();
            }

            @Override
            public long getChunkSize() {
                return torrent.getChunkSize();
            }

            @Override
            public Iterable<byte[]> getChunkHashes() {
                return torrent.getChunkHashes();
            }

            @Override
            public long getSize() {
                return torrent.getSize();
            }

            @Override
            public List<TorrentFile> getFiles() {
                return torrent.getFiles();
            }

            @Override
            public boolean isPrivate() {
                return false;
            }

            @Override
            public Optional<Instant> getCreationDate() {
                return torrent.getCreationDate();
            }

            @Override
            public Optional<String> getCreatedBy() {
                return torrent.getCreatedBy();
            }
        };
    }

    private PeerSource peerSource(TorrentId torrent) {
        return new PeerSource() {
            @Override
            public boolean update() {
                return true;
            }

            @Override
            public Collection<Peer> getPeers() {
                InetSocketAddress peer = peers.get(torrent);
                // Bt removes entries through the iterator: the list must be mutable.
                List<Peer> list = new ArrayList<>(1);
                if (peer != null) {
                    list.add(InetPeer.build(peer.getAddress(), peer.getPort()));
                }
                return list;
            }
        };
    }

    static int freePort(InetAddress address) throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, address)) {
            return s.getLocalPort();
        }
    }

    /**
     * Builds the .torrent of one file, hashing it once; {@code trackers} become its announce list,
     * one tier each (the info hash does not depend on them).
     */
    static byte[] makeTorrent(Path file, long size, List<String> trackers) {
        int pieceSize = 256 * 1024;
        while (pieceSize < (16 << 20) && size / pieceSize > TARGET_PIECES) {
            pieceSize <<= 1;
        }
        TorrentBuilder builder = new TorrentBuilder().addFile(file).pieceSize(pieceSize).createdBy("P2P Chat")
                .numHashingThreads(2);
        for (String tracker : trackers) {
            builder.addAnnounceGroup(List.of(tracker));
        }
        return builder.build();
    }

    static Torrent parse(byte[] torrent) {
        return new MetadataService().fromByteArray(torrent);
    }

    SocketChannel connectToAcceptor() throws IOException {
        return SocketChannel.open(acceptorAddress());
    }

    InetSocketAddress acceptorAddress() {
        return new InetSocketAddress(acceptorAddress, acceptorPort);
    }

    BtClient seed(Torrent torrent, Storage storage, Consumer<TorrentSessionState> progress) {
        Torrent ours = ours(torrent);
        BtClient client = Bt.client(runtime).storage(storage).torrent(() -> ours).build();
        client.startAsync(progress, 250);
        return client;
    }

    /**
     * Downloads from {@code peer} (a bridge's loopback port); {@code done} completes once every
     * piece is here and verified by Bt, or fails.
     */
    BtClient download(Torrent torrent, Storage storage, InetSocketAddress peer, Consumer<TorrentSessionState> progress,
            CompletableFuture<Void> done) {
        peers.put(torrent.getTorrentId(), peer);
        Torrent ours = ours(torrent);
        BtClient client = Bt.client(runtime).storage(storage).torrent(() -> ours)
                .afterDownloaded(t -> done.complete(null))
                .stopWhenDownloaded()
                .build();
        java.util.concurrent.atomic.AtomicReference<TorrentSessionState> last = new java.util.concurrent.atomic.AtomicReference<>();
        client.startAsync(state -> {
            last.set(state);
            progress.accept(state);
        }, 250).whenComplete((r, e) -> {
            peers.remove(torrent.getTorrentId(), peer);
            if (e != null) {
                done.completeExceptionally(e);
            } else if (last.get() != null && last.get().getPiecesRemaining() == 0) {
                done.complete(null); // complete from the start (a resumed file): no download event
            }
        });
        return client;
    }

    @Override
    public void close() {
        runtime.shutdown();
        // Bt would leave its tracker clients' threads and sockets open.
        trackerPeers.values().forEach(TrackerPeers::close);
        announcers.shutdown();
    }
}
