package org.p2pchat.files.bt.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

import org.p2pchat.core.files.TransferStatus.Direction;
import org.p2pchat.core.files.TransferStatus.State;

import bt.metainfo.Torrent;
import bt.metainfo.TorrentFile;

/**
 * Moves the bytes of the current file of a transfer with Bt ({@link BtEngine}): the sender seeds
 * it from its source, the receiver downloads it to its ".part" (the bytes go the way
 * {@link PathBroker} finds), checks every piece and gives it its final name. What it finds goes
 * back to {@link TransferProtocol}. Called on the engine thread; slow work runs on workers.
 */
final class TransferRunner {

    private final TransferProtocol protocol;
    private final PathBroker broker;
    /** The engine thread, where transfers change. */
    private final Executor engine;
    private final Executor workers;
    /** The trackers our Bt announces to, asked whenever a transfer starts. */
    private final Supplier<List<String>> trackers;

    TransferRunner(TransferProtocol protocol, PathBroker broker, Executor engine, Executor workers,
            Supplier<List<String>> trackers) {
        this.protocol = protocol;
        this.broker = broker;
        this.engine = engine;
        this.workers = workers;
        this.trackers = trackers;
    }

    /** Why an offered file's torrent cannot be used, or null. */
    static String torrentProblem(Control.FileInfo f, String name) {
        try {
            byte[] bytes = Base64.getDecoder().decode(f.torrent == null ? "" : f.torrent);
            Torrent t = BtEngine.parse(bytes);
            List<TorrentFile> tf = t.getFiles();
            if (tf.size() != 1 || t.getSize() != f.size || tf.get(0).getSize() != f.size) {
                return "the torrent of " + name + " does not match the file";
            }
            return null;
        } catch (RuntimeException e) {
            return "the torrent of " + name + " is not valid";
        }
    }

    /**
     * Starts Bt for the current file unless it runs already. Each transfer has a Bt runtime of
     * its own while it runs: Bt 1.10 cannot start a torrent again in the runtime that stopped it
     * (pause, resume), and a fresh runtime rechecks the pieces on disk, which is how it resumes.
     */
    void start(Transfer t) {
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
    void stop(Transfer t) {
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
        PathBroker.closePaths(t);
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
        String problem = TransferFiles.sourceProblem(f);
        if (problem != null) {
            protocol.failBoth(t, problem);
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
                    e -> engine.execute(() -> ioFailed(t, generation, f, e)));
            t.engine = new BtEngine(trackers.get());
            t.client = t.engine.seed(torrent, t.storage, state -> {
                t.btState = state;
                if (state.getPiecesRemaining() == 0) {
                    ready.complete(null);
                }
            });
        } catch (IOException | RuntimeException e) {
            protocol.failBoth(t, "BitTorrent could not start: " + e.getMessage());
        }
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
            port.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
            t.bridgePort = port;
            Thread acceptor = new Thread(() -> broker.acceptBridges(t, port), "p2pchat-files-bridge-port");
            acceptor.setDaemon(true);
            acceptor.start();
            t.storage = new FileStorage(part, f.size, true, e -> engine.execute(() -> ioFailed(t, generation, f, e)));
            CompletableFuture<Void> done = new CompletableFuture<>();
            t.engine = new BtEngine(trackers.get());
            t.client = t.engine.download(torrent, t.storage, (InetSocketAddress) port.getLocalAddress(),
                    state -> t.btState = state, done);
            done.whenComplete((r, e) -> engine.execute(() -> {
                if (t.generation != generation) {
                    return;
                }
                if (e != null) {
                    protocol.failBoth(t, "BitTorrent stopped: " + e.getMessage());
                    return;
                }
                stop(t);
                int g = ++t.generation;
                t.state(State.VERIFYING, null);
                protocol.effects().changed(t);
                workers.execute(() -> finishFile(t, g, index, part, target, torrent));
            }));
        } catch (IOException | RuntimeException e) {
            protocol.failBoth(t, "BitTorrent could not start: " + e.getMessage());
        }
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
        engine.execute(() -> {
            if (t.generation != generation || t.state().isFinal()) {
                return;
            }
            protocol.fileChecked(t, index, failure, result);
        });
    }

    private void ioFailed(Transfer t, int generation, TransferStore.FileRecord f, IOException e) {
        if (t.generation != generation || t.state().isFinal()) {
            return;
        }
        String reason = e instanceof NoSuchFileException ? "the file is gone" : e.getMessage();
        if (t.direction == Direction.SENDING) {
            protocol.failBoth(t, "Could not read " + f.name + ": " + reason + ".");
        } else if (TransferFiles.noSpaceLeft(e, Path.of(t.record.directory))) {
            // Both sides show this: it names what to do, not who should do it.
            protocol.failBoth(t, "No space left in " + t.record.directory + " for " + f.name
                    + ": free some space there, then it can be sent again.");
        } else {
            protocol.failBoth(t, "Could not write " + f.name + " to " + t.record.directory + ": " + reason + ".");
        }
    }
}
