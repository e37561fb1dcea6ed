package org.p2pchat.client.core.tests;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

import org.p2pchat.client.core.ClientEvent;

/** What one client reported, in order, with waits for the event a test expects. */
final class Events implements Consumer<ClientEvent> {

    static final long TIMEOUT_SECONDS = 90;

    private final String who;
    private final List<ClientEvent> seen = new ArrayList<>();

    Events(String who) {
        this.who = who;
    }

    @Override
    public synchronized void accept(ClientEvent event) {
        seen.add(event);
        notifyAll();
    }

    synchronized List<ClientEvent> all() {
        return List.copyOf(seen);
    }

    /** Every event of {@code type} so far. */
    synchronized <E extends ClientEvent> List<E> of(Class<E> type) {
        return seen.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** The first event of {@code type} that matches, waiting up to {@value #TIMEOUT_SECONDS} s. */
    <E extends ClientEvent> E await(Class<E> type, Predicate<E> wanted) throws InterruptedException {
        return await(type, wanted, TIMEOUT_SECONDS);
    }

    <E extends ClientEvent> E await(Class<E> type) throws InterruptedException {
        return await(type, e -> true);
    }

    synchronized <E extends ClientEvent> E await(Class<E> type, Predicate<E> wanted, long seconds)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            for (ClientEvent e : seen) {
                if (type.isInstance(e) && wanted.test(type.cast(e))) {
                    return type.cast(e);
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError(who + " never reported a matching " + type.getSimpleName() + "; saw:\n  "
                        + String.join("\n  ", seen.stream().map(Object::toString).toList()));
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }
}
