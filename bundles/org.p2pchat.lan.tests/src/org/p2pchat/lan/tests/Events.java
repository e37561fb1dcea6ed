package org.p2pchat.lan.tests;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

import org.p2pchat.client.core.ClientEvent;

/** What one client reported, in order, with a wait for the event a test expects. */
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

    /** The first event of {@code type} that matches, waiting up to {@value #TIMEOUT_SECONDS} s. */
    synchronized <E extends ClientEvent> E await(Class<E> type, Predicate<E> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
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
            wait(TimeUnit.NANOSECONDS.toMillis(left) + 1);
        }
    }
}
