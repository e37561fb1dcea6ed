package org.p2pchat.files.bt.internal;

import java.io.IOException;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicLong;

import org.p2pchat.core.files.TransferStatus;
import org.p2pchat.core.files.TransferStatus.Direction;
import org.p2pchat.core.files.TransferStatus.State;

import bt.metainfo.Torrent;
import bt.runtime.BtClient;
import bt.torrent.TorrentSessionState;

/**
 * One transfer: its persisted record plus what is running for it. Fields other than the volatile
 * ones are touched only on the service's engine thread.
 */
public final class Transfer {

    private static final long SPEED_WINDOW_NANOS = 3_000_000_000L;

    final TransferStore.Record record;
    final Direction direction;
    /** The session to the peer, once known and while connected. */
    volatile ControlSession link;
    /** Torrents of the files, parsed once; null for empty files. */
    final Torrent[] torrents;

    // What runs for the current file.
    /** Read by bridge threads, hence volatile. */
    volatile BtEngine engine;
    BtClient client;
    FileStorage storage;
    /** Receiver: the loopback port Bt dials, leading to the peer. */
    ServerSocketChannel bridgePort;
    /** Sender: completes once Bt has checked the file and can serve it. */
    volatile CompletableFuture<Void> seedReady;
    volatile TorrentSessionState btState;
    final List<Bridge> bridges = new CopyOnWriteArrayList<>();
    /** Sender: where the receiver's Bt may connect directly, once it asked. */
    volatile DirectListener directListener;
    /** Receiver: a direct connection failed or was refused in this run; the rest use data channels. */
    volatile boolean directFailed;
    /** Receiver: direct-ask requests waiting for the sender's answer, by request id. */
    final Map<String, CompletableFuture<Control.Message>> directAnswers = new ConcurrentHashMap<>();
    /** How the last bridge carries the bytes; empty until one started. */
    volatile String path = "";
    /** Increases whenever a Bt client is started or stopped, so late callbacks of an old one are ignored. */
    int generation;

    /** Bytes that arrived from the peer through bridges in this process (resume checks). */
    final AtomicLong bridgedIn = new AtomicLong();
    /** Sender: verified bytes the receiver reported (kept in the record, for the next start). */
    volatile long peerDone;
    long lastProgressSent;
    ScheduledFuture<?> answerTimeout;
    boolean offerAnswered;

    private final ArrayDeque<long[]> samples = new ArrayDeque<>();
    private long currentDone;
    private int currentDoneIndex;
    private TransferStatus lastShown;

    /**
     * Sender: a new transfer of {@code files} (see {@link TransferFiles#newOffer}), to be offered
     * with {@link TransferProtocol#offer}. Hashes every file, so it takes a while for big ones.
     */
    public static Transfer offering(List<Path> files, List<String> trackers) throws IOException {
        TransferStore.Record r = TransferFiles.newOffer(files, trackers);
        try {
            return new Transfer(r);
        } catch (RuntimeException e) {
            throw new IOException("Cannot offer " + files + ": " + e.getMessage(), e);
        }
    }

    /**
     * A transfer whose torrents are parsed from its record.
     *
     * @throws RuntimeException if a torrent is not valid
     */
    Transfer(TransferStore.Record record) {
        this(record, parseTorrents(record));
    }

    Transfer(TransferStore.Record record, Torrent[] torrents) {
        this.record = record;
        this.direction = Direction.valueOf(record.direction);
        this.torrents = torrents;
        this.peerDone = record.peerDone;
        this.currentDoneIndex = record.current;
        this.currentDone = record.currentVerified;
    }

    public String id() {
        return record.id;
    }

    public State state() {
        return State.valueOf(record.state);
    }

    void state(State s, String problem) {
        record.state = s.name();
        record.problem = problem;
    }

    byte[] token() {
        return Base64.getDecoder().decode(record.token);
    }

    long totalBytes() {
        long total = 0;
        for (TransferStore.FileRecord f : record.files) {
            total += f.size;
        }
        return total;
    }

    /** Verified bytes: finished files plus the verified pieces of the current one. */
    long doneBytes() {
        State s = state();
        if (s == State.DONE) {
            return totalBytes();
        }
        if (direction == Direction.SENDING) {
            return Math.min(peerDone, totalBytes());
        }
        long done = 0;
        for (TransferStore.FileRecord f : record.files) {
            if (f.done) {
                done += f.size;
            }
        }
        TorrentSessionState bt = btState;
        int current = record.current;
        if (current != currentDoneIndex) {
            currentDoneIndex = current;
            currentDone = 0;
        }
        if (bt != null && current < torrents.length && torrents[current] != null && !record.files.get(current).done) {
            long pieces = bt.getPiecesComplete();
            // Bt counts again from zero while it rechecks a resumed file: show the most seen.
            currentDone = Math.max(currentDone,
                    Math.min(record.files.get(current).size, pieces * torrents[current].getChunkSize()));
        }
        if (current < record.files.size() && !record.files.get(current).done) {
            done += currentDone;
        }
        return done;
    }

    /** Remembers the verified bytes of the current file in the record, for the next start. */
    void noteProgress() {
        doneBytes();
        record.peerDone = peerDone;
        record.currentVerified = currentDoneIndex == record.current ? currentDone : 0;
    }

    private static Torrent[] parseTorrents(TransferStore.Record r) {
        Torrent[] torrents = new Torrent[r.files.size()];
        for (int i = 0; i < torrents.length; i++) {
            String torrent = r.files.get(i).torrent;
            torrents[i] = torrent == null ? null : BtEngine.parse(Base64.getDecoder().decode(torrent));
        }
        return torrents;
    }

    String displayName() {
        return record.files.size() == 1 ? record.files.get(0).name : record.files.size() + " files";
    }

    /** The status now; the speed is over the last few seconds of samples. */
    TransferStatus status(long nowNanos) {
        long done = doneBytes();
        samples.addLast(new long[] { nowNanos, done });
        while (samples.size() > 2 && nowNanos - samples.peekFirst()[0] > SPEED_WINDOW_NANOS) {
            samples.removeFirst();
        }
        double speed = 0;
        long[] first = samples.peekFirst();
        if (state() == State.RUNNING && nowNanos > first[0] && done > first[1]) {
            speed = (done - first[1]) * 1e9 / (nowNanos - first[0]);
        }
        if (state() != State.RUNNING) {
            samples.clear();
        }
        return new TransferStatus(record.id, record.peerName == null ? "your peer" : record.peerName, direction,
                displayName(), totalBytes(), done, speed, state(), record.problem, path, record.peerKey, record.created);
    }

    /** The status if it differs from the one last shown, else null. */
    TransferStatus changed(long nowNanos) {
        TransferStatus s = status(nowNanos);
        if (s.equals(lastShown)) {
            return null;
        }
        lastShown = s;
        return s;
    }
}
