package org.p2pchat.signaling.dht.tests;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Waiting for what real components do on their own threads. */
final class Await {

    static final long SECONDS = 20;

    private Await() {
    }

    /** The next element of {@code queue} that is {@code wanted}, skipping others. */
    static <T> T next(BlockingQueue<T> queue, Predicate<T> wanted, String what) throws InterruptedException {
        return next(queue, wanted, what, SECONDS);
    }

    static <T> T next(BlockingQueue<T> queue, Predicate<T> wanted, String what, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            T item = queue.poll(100, TimeUnit.MILLISECONDS);
            if (item != null && wanted.test(item)) {
                return item;
            }
        }
        throw new AssertionError("no " + what + " within " + seconds + " s");
    }

    /** Polls {@code value} until it is non-null. */
    static <T> T until(Supplier<T> value, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
        while (System.nanoTime() < deadline) {
            T v = value.get();
            if (v != null) {
                return v;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no " + what + " within " + SECONDS + " s");
    }
}
