package org.p2pchat.rendezvous.internal;

import java.util.concurrent.atomic.AtomicLong;

import org.p2pchat.rendezvous.RendezvousLimits;

/**
 * The signals queued over both APIs, counted and weighed, so that the total a service holds is
 * bounded in bytes and not only in number (a signal may be as large as a request body).
 */
final class SignalBudget {

    /** What a queued signal costs beyond its request body: the signal object, its queue slot, ids. */
    static final int OVERHEAD_BYTES = 96;

    private final int maxSignals;
    private final long maxBytes;
    private final AtomicLong signals = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();

    SignalBudget(RendezvousLimits limits) {
        this.maxSignals = limits.maxSignalsTotal();
        this.maxBytes = limits.maxQueuedSignalBytes();
    }

    /** The charge of a signal that arrived in a request body of {@code bodyBytes}. */
    static int charge(int bodyBytes) {
        return bodyBytes + OVERHEAD_BYTES;
    }

    /** Reserves room for one signal of {@code charge} bytes; 503 if the service is full. */
    void reserve(int charge) throws ApiException {
        if (signals.incrementAndGet() > maxSignals) {
            signals.decrementAndGet();
            throw new ApiException(503, "the service holds its maximum of " + maxSignals
                    + " queued signals; retry later");
        }
        if (bytes.addAndGet(charge) > maxBytes) {
            bytes.addAndGet(-charge);
            signals.decrementAndGet();
            throw new ApiException(503, "the service holds its maximum of " + maxBytes
                    + " bytes of queued signals; retry later");
        }
    }

    /** Gives back the room of {@code count} signals charged {@code charge} bytes together. */
    void release(int count, long charge) {
        if (count > 0) {
            signals.addAndGet(-count);
            bytes.addAndGet(-charge);
        }
    }

    long signals() {
        return signals.get();
    }

    long bytes() {
        return bytes.get();
    }
}
