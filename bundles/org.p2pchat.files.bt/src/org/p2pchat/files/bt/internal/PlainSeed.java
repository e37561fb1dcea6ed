package org.p2pchat.files.bt.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import bt.Bt;
import bt.data.file.FileSystemStorage;
import bt.event.EventSource;
import bt.metainfo.Torrent;
import bt.runtime.BtClient;
import bt.runtime.BtRuntime;
import bt.runtime.Config;
import bt.tracker.AnnounceKey;
import bt.tracker.ITrackerService;

/**
 * A plain BitTorrent seed of one file, as some other client on the network would run it: stock
 * Bt listening on a network address, announcing to the trackers its .torrent names, no chat peer
 * and no bridge. Not used by the service: tests use it as a stranger that serves a file only
 * through a tracker.
 */
public final class PlainSeed implements AutoCloseable {

    private final BtRuntime runtime;
    private final BtClient client;
    private final InetSocketAddress address;
    private final List<String> trackers;
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private volatile long uploaded;

    private PlainSeed(Path file, Torrent torrent, InetAddress address) throws IOException {
        if (!torrent.getName().equals(file.getFileName().toString())) {
            throw new IllegalArgumentException("Bt seeds " + torrent.getName() + " from its folder, not " + file);
        }
        Config config = new Config();
        config.setAcceptorAddress(address);
        config.setAcceptorPort(BtEngine.freePort(address));
        config.setPeerDiscoveryInterval(Duration.ofSeconds(1));
        this.address = new InetSocketAddress(address, config.getAcceptorPort());
        this.trackers = trackers(torrent);
        // Stock otherwise; no multicast discovery, and no module loading (that could bring a DHT).
        runtime = BtRuntime.builder(config).disableLocalServiceDiscovery().build();
        runtime.service(EventSource.class).onTorrentStopped(torrent.getTorrentId(), e -> stopped.complete(null));
        client = Bt.client(runtime).storage(new FileSystemStorage(file.getParent())).torrent(() -> torrent).build();
        client.startAsync(s -> {
            // Bt counts a peer's bytes only while it is connected, as last seen by this call.
            uploaded = s.getUploaded();
            if (s.getPiecesRemaining() == 0) {
                ready.complete(null);
            }
        }, 50);
    }

    /** Seeds {@code file}, which must carry the torrent's name, listening on {@code address}. */
    public static PlainSeed start(Path file, byte[] torrent, InetAddress address) throws IOException {
        return new PlainSeed(file, BtEngine.parse(torrent), address);
    }

    /** Waits until the seed has checked its file and can serve it. */
    public void awaitReady(long seconds) throws InterruptedException, TimeoutException {
        try {
            ready.get(seconds, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Where it listens. */
    public InetSocketAddress address() {
        return address;
    }

    /**
     * Bytes of the file it has sent to peers, as Bt counts them: it forgets what went to a peer in
     * the last moments (a poll period) before that peer left, so this may fall short.
     */
    public long uploaded() {
        return uploaded;
    }

    /** The announce URLs a .torrent names, tier after tier. */
    public static List<String> trackers(byte[] torrent) {
        return trackers(BtEngine.parse(torrent));
    }

    private static List<String> trackers(Torrent torrent) {
        List<String> urls = new ArrayList<>();
        torrent.getAnnounceKey().ifPresent(key -> {
            if (key.isMultiKey()) {
                key.getTrackerUrls().forEach(urls::addAll);
            } else {
                urls.add(key.getTrackerUrl());
            }
        });
        return urls;
    }

    /** A .torrent's info hash in hex, as trackers list it. */
    public static String infoHash(byte[] torrent) {
        return HexFormat.of().formatHex(BtEngine.parse(torrent).getTorrentId().getBytes());
    }

    @Override
    public void close() {
        client.stop();
        try {
            // Bt says "stopped" to the trackers on a thread of its own, then tells.
            stopped.get(20, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // leave anyway
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        runtime.shutdown();
        // Bt leaves its tracker clients' threads and sockets open; its tracker service hands out one per URL.
        ITrackerService trackerService = runtime.service(ITrackerService.class);
        for (String url : trackers) {
            try {
                trackerService.getTracker(new AnnounceKey(url)).close();
            } catch (IOException | RuntimeException e) {
                // not opened, or closed
            }
        }
    }
}
