package org.p2pchat.files.bt.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import bt.Bt;
import bt.data.Storage;
import bt.metainfo.MetadataService;
import bt.metainfo.Torrent;
import bt.metainfo.TorrentId;
import bt.module.ServiceModule;
import bt.net.InetPeer;
import bt.net.Peer;
import bt.peer.PeerSource;
import bt.runtime.BtClient;
import bt.runtime.BtRuntime;
import bt.runtime.Config;
import bt.torrent.TorrentSessionState;
import bt.torrent.maker.TorrentBuilder;

/**
 * A Bt runtime: its acceptor listens on loopback only, and the only peers it
 * ever dials are the loopback bridges we name per torrent. No DHT, no local service discovery
 * (multicast), no peer exchange (every bridged peer is 127.0.0.1), no MSE (the data channel is
 * DTLS-encrypted already), and timings tuned for one fast peer instead of a public swarm.
 */
final class BtEngine implements AutoCloseable {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    /** Keeps a torrent of any size to a few thousand pieces (a small .torrent) of 256 KiB to 16 MiB. */
    private static final int TARGET_PIECES = 4000;

    private final BtRuntime runtime;
    private final InetAddress acceptorAddress;
    private final int acceptorPort;
    /** Torrent → where its peer is: the loopback port of the bridge that leads to it. */
    private final Map<TorrentId, InetSocketAddress> peers = new ConcurrentHashMap<>();

    BtEngine() throws IOException {
        this(LOOPBACK);
    }

    /** @param acceptorAddress loopback, except for measuring a direct path */
    BtEngine(InetAddress acceptorAddress) throws IOException {
        this.acceptorAddress = acceptorAddress;
        acceptorPort = freePort(acceptorAddress);
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
        runtime = BtRuntime.builder(config)
                .disableLocalServiceDiscovery()
                .disablePeerExchange()
                .disableAutomaticShutdown()
                .module(binder -> ServiceModule.contributePeerSourceFactory(binder).addBinding()
                        .toInstance(this::peerSource))
                .build();
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

    /** Builds the .torrent of one file, hashing it once. */
    static byte[] makeTorrent(Path file, long size) {
        int pieceSize = 256 * 1024;
        while (pieceSize < (16 << 20) && size / pieceSize > TARGET_PIECES) {
            pieceSize <<= 1;
        }
        return new TorrentBuilder().addFile(file).pieceSize(pieceSize).createdBy("P2P Chat")
                .numHashingThreads(2).build();
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
        BtClient client = Bt.client(runtime).storage(storage).torrent(() -> torrent).build();
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
        BtClient client = Bt.client(runtime).storage(storage).torrent(() -> torrent)
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
    }
}
