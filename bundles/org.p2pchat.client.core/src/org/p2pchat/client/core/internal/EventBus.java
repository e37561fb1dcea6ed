package org.p2pchat.client.core.internal;

import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

import org.p2pchat.client.core.ClientEvent;

/**
 * Delivers a client's events to its subscribers: each subscription has a queue of its own that
 * drains on the subscriber's executor, one event at a time and in order, so a slow or failing
 * subscriber holds up nobody else.
 */
final class EventBus {

    private static final System.Logger LOG = System.getLogger(EventBus.class.getName());

    private final CopyOnWriteArrayList<Subscription> subscriptions = new CopyOnWriteArrayList<>();

    AutoCloseable subscribe(Executor executor, Consumer<ClientEvent> listener) {
        Subscription s = new Subscription(executor, listener);
        subscriptions.add(s);
        return () -> {
            s.closed = true;
            subscriptions.remove(s);
        };
    }

    void post(ClientEvent event) {
        LOG.log(Level.DEBUG, "event {0}", event.getClass().getSimpleName());
        for (Subscription s : subscriptions) {
            s.post(event);
        }
    }

    private static final class Subscription {
        private final Executor executor;
        private final Consumer<ClientEvent> listener;
        private final Queue<ClientEvent> queue = new ArrayDeque<>();
        /** Whether a drain is queued or running on the executor. */
        private boolean draining;
        private volatile boolean closed;

        Subscription(Executor executor, Consumer<ClientEvent> listener) {
            this.executor = executor;
            this.listener = listener;
        }

        void post(ClientEvent event) {
            synchronized (this) {
                if (closed) {
                    return;
                }
                queue.add(event);
                if (draining) {
                    return;
                }
                draining = true;
            }
            try {
                executor.execute(this::drain);
            } catch (RejectedExecutionException e) {
                // The subscriber's executor is gone (its display was disposed): it gets nothing more.
                synchronized (this) {
                    closed = true;
                    queue.clear();
                    draining = false;
                }
            }
        }

        private void drain() {
            while (true) {
                ClientEvent next;
                synchronized (this) {
                    next = queue.poll();
                    if (next == null || closed) {
                        draining = false;
                        return;
                    }
                }
                try {
                    listener.accept(next);
                } catch (VirtualMachineError e) {
                    throw e;
                } catch (RuntimeException | Error e) {
                    LOG.log(Level.WARNING, "a client event subscriber failed on " + next.getClass().getSimpleName(), e);
                }
            }
        }
    }
}
