package org.p2pchat.signaling.dht.internal;

import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

import org.p2pchat.core.IceCandidate;

/**
 * The candidates one peer trickles during one exchange (the web app sends some apart from its
 * description): kept until the client layer names a sink, then handed over in order, the kept
 * ones first. The sink is called without any lock of ours held, one candidate at a time.
 */
final class CandidateBuffer {

    private static final System.Logger LOG = System.getLogger(CandidateBuffer.class.getName());
    /** A browser gathers a handful of candidates; more than this before a sink exists is not a browser. */
    static final int MAX_EARLY_CANDIDATES = 64;

    private final List<IceCandidate> early = new ArrayList<>();
    private final ArrayDeque<IceCandidate> due = new ArrayDeque<>();
    private Consumer<IceCandidate> sink;
    private boolean draining;

    /** A candidate from the peer. */
    void add(IceCandidate candidate) {
        synchronized (this) {
            if (sink == null) {
                if (early.size() < MAX_EARLY_CANDIDATES) {
                    early.add(candidate);
                }
                return;
            }
            due.add(candidate);
            if (draining) {
                return;
            }
            draining = true;
        }
        drain();
    }

    /** From now on candidates go to {@code target}, those kept first. */
    void sink(Consumer<IceCandidate> target) {
        Objects.requireNonNull(target, "sink");
        synchronized (this) {
            sink = target;
            due.addAll(early);
            early.clear();
            if (draining) {
                return;
            }
            draining = true;
        }
        drain();
    }

    private void drain() {
        while (true) {
            IceCandidate next;
            Consumer<IceCandidate> target;
            synchronized (this) {
                next = due.poll();
                if (next == null) {
                    draining = false;
                    return;
                }
                target = sink;
            }
            try {
                target.accept(next);
            } catch (RuntimeException e) {
                LOG.log(Level.INFO, "a candidate sink refused a candidate: {0}", e.toString());
            }
        }
    }
}
