package org.p2pchat.files.bt.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.p2pchat.core.files.TransferListener;
import org.p2pchat.core.files.TransferStatus;
import org.p2pchat.core.files.TransferStatus.Direction;
import org.p2pchat.core.files.TransferStatus.State;

/**
 * The list of transfers as the user sees it: saved to {@link TransferStore} when something
 * changes (and every few seconds while something runs), told to the listeners, and ticked for
 * progress. Engine thread, except where said.
 */
final class TransferList {

    private static final System.Logger LOG = System.getLogger(TransferList.class.getName());

    static final long TICK_MS = 250;
    static final long PROGRESS_REPORT_NANOS = 500_000_000L;
    /**
     * How often the list is saved while something runs: after a crash the list then shows about
     * where each transfer stood (Bt rechecks the pieces on disk anyway before resuming).
     */
    static final long PROGRESS_SAVE_NANOS = 2_000_000_000L;

    private final TransferStore store;
    private final List<TransferListener> listeners = new CopyOnWriteArrayList<>();
    private TransferProtocol protocol;
    /** When the transfer list was last saved. */
    private long lastSavedNanos;

    TransferList(TransferStore store) {
        this.store = store;
    }

    /** Loads the stored transfers into {@code p}, which this list shows from now on. */
    void load(TransferProtocol p) {
        this.protocol = p;
        for (TransferStore.Record r : store.load()) {
            Transfer t = TransferFiles.restore(r);
            if (t != null) {
                p.add(t);
            }
        }
    }

    /** Any thread. */
    void addListener(TransferListener listener) {
        listeners.add(listener);
    }

    /** Any thread. */
    void removeListener(TransferListener listener) {
        listeners.remove(listener);
    }

    /** Every {@value #TICK_MS} ms: progress to listeners and to the sender; sources still there. */
    void tick() {
        long now = System.nanoTime();
        boolean running = false;
        for (Transfer t : protocol.transfers()) {
            State s = t.state();
            running |= s == State.RUNNING;
            if (s.isFinal() && s != State.DONE) {
                continue;
            }
            if (s == State.RUNNING && t.direction == Direction.SENDING) {
                String problem = TransferFiles.sourceProblem(t.record.files.get(t.record.current));
                if (problem != null) {
                    protocol.failBoth(t, problem);
                    continue;
                }
            }
            if (s == State.RUNNING && t.direction == Direction.RECEIVING
                    && now - t.lastProgressSent > PROGRESS_REPORT_NANOS) {
                t.lastProgressSent = now;
                protocol.reportProgress(t);
            }
            fire(t, now);
        }
        if (running && now - lastSavedNanos > PROGRESS_SAVE_NANOS) {
            save();
        }
    }

    /** The state of {@code t} changed: save and tell. */
    void changed(Transfer t) {
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

    /** Saves the newest {@value TransferStore#MAX_KEPT} transfers; older ones are forgotten. */
    void save() {
        lastSavedNanos = System.nanoTime();
        List<TransferStore.Record> records = new ArrayList<>();
        newestFirst().forEach(t -> {
            t.noteProgress();
            records.add(t.record);
        });
        while (records.size() > TransferStore.MAX_KEPT) {
            TransferStore.Record oldest = records.remove(records.size() - 1);
            protocol.forget(oldest.id);
        }
        try {
            store.save(records);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "could not save the transfer list: " + e.getMessage());
        }
    }

    /** Every transfer's status now, the newest first. */
    List<TransferStatus> statuses() {
        long now = System.nanoTime();
        return newestFirst().stream().map(t -> t.status(now)).toList();
    }

    private List<Transfer> newestFirst() {
        return protocol.transfers().stream()
                .sorted(Comparator.comparingLong((Transfer t) -> t.record.created).reversed()).toList();
    }
}
