package org.p2pchat.transport.webrtc.internal;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * Reads a connection's selected candidate pair again while it lasts. ICE connects on the first pair
 * that works (often the relay, whose checks need no hole in a NAT) and moves to a better one once
 * its checks succeed, without an event: so the pair is read a few times soon after connecting (or
 * after an ICE restart), then every {@link #SOON_MS} until about a minute has passed (checks through
 * a NAT may be retried for 15 s or more), then every minute.
 */
final class SelectedPathWatch {

    /** When the pair is read again after connecting, in ms after the previous look. */
    private static final long[] FIRST_MS = {500, 1000, 2000, 3000};
    private static final long SOON_MS = 5000;
    private static final int SOON_TIMES = 11;
    private static final long EVERY_MS = 60_000;
    private static final ScheduledExecutorService RECHECKS = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "p2pchat-path-recheck");
        t.setDaemon(true);
        return t;
    });

    private final BooleanSupplier connected;
    private final Runnable read;
    /** Which start's watch is current: a reconnect or restart starts a new one, the old one stops. */
    private final AtomicInteger current = new AtomicInteger();

    /**
     * @param connected whether the connection is open and connected (the watch stops when not)
     * @param read reads the selected pair and reports it if it changed
     */
    SelectedPathWatch(BooleanSupplier connected, Runnable read) {
        this.connected = connected;
        this.read = read;
    }

    /** Starts watching anew: after connecting, or after an ICE restart. */
    void start() {
        schedule(current.incrementAndGet(), 0);
    }

    private void schedule(int watch, int step) {
        long delay = step < FIRST_MS.length ? FIRST_MS[step] : step < FIRST_MS.length + SOON_TIMES ? SOON_MS : EVERY_MS;
        RECHECKS.schedule(() -> {
            if (watch != current.get() || !connected.getAsBoolean()) {
                return;
            }
            read.run();
            schedule(watch, step + 1);
        }, delay, TimeUnit.MILLISECONDS);
    }
}
