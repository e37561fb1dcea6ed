package org.p2pchat.core.tests.channel;

import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.p2pchat.core.channel.MessageChannel;
import org.p2pchat.core.channel.MessageChannelListener;

/**
 * Two connected {@link MessageChannel} ends in memory, with a data channel's rules: whole messages,
 * in order, each end's events on its own thread, a send buffer that drains as the other end takes
 * the messages, and WebRTC's 256 KiB message limit.
 */
final class InMemoryChannelPair implements AutoCloseable {

    static final int MAX_MESSAGE_BYTES = 256 * 1024;

    final End a;
    final End b;

    InMemoryChannelPair(String label) {
        a = new End(label, "a");
        b = new End(label, "b");
        a.peer = b;
        b.peer = a;
    }

    /** Opens both ends, as a connection does once the channel is negotiated. */
    void open() {
        a.open();
        b.open();
    }

    @Override
    public void close() {
        a.close();
        a.thread.shutdown();
        b.thread.shutdown();
    }

    static final class End implements MessageChannel {
        private final String label;
        /** This end's transport thread: its listener hears everything on it, in order. */
        private final ExecutorService thread;
        private final AtomicLong buffered = new AtomicLong();
        private final AtomicBoolean openReported = new AtomicBoolean();
        private final AtomicBoolean closed = new AtomicBoolean();
        private volatile boolean open;
        private volatile End peer;
        private volatile MessageChannelListener listener = new MessageChannelListener() {
        };

        End(String label, String side) {
            this.label = label;
            this.thread = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "in-memory-" + label + "-" + side);
                t.setDaemon(true);
                return t;
            });
        }

        private void open() {
            open = true;
            run(this::reportOpen);
        }

        private void reportOpen() {
            if (open && !closed.get() && openReported.compareAndSet(false, true)) {
                listener.opened();
            }
        }

        private void run(Runnable event) {
            try {
                thread.execute(event);
            } catch (RejectedExecutionException e) {
                // The pair is shut down.
            }
        }

        @Override
        public String label() {
            return label;
        }

        @Override
        public int maxMessageBytes() {
            return MAX_MESSAGE_BYTES;
        }

        @Override
        public boolean isOpen() {
            return open && !closed.get();
        }

        @Override
        public void send(byte[] message, boolean binary) throws IOException {
            if (message.length > MAX_MESSAGE_BYTES) {
                throw new IllegalArgumentException("message of " + message.length + " bytes is over the limit");
            }
            if (!isOpen()) {
                throw new IOException("channel '" + label + "' is closed");
            }
            byte[] copy = Arrays.copyOf(message, message.length);
            buffered.addAndGet(copy.length);
            End to = peer;
            to.run(() -> {
                buffered.addAndGet(-copy.length);
                if (!to.closed.get()) {
                    to.listener.received(copy, binary);
                }
            });
        }

        @Override
        public long bufferedAmount() throws IOException {
            if (!isOpen()) {
                throw new IOException("channel '" + label + "' is closed");
            }
            return buffered.get();
        }

        @Override
        public void setListener(MessageChannelListener listener) {
            this.listener = listener;
            reportOpen();
        }

        /** Closes both ends; the other end hears {@code closed()} on its thread, this one nothing more. */
        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                peer.closeOne();
            }
        }

        private void closeOne() {
            if (closed.compareAndSet(false, true)) {
                run(() -> listener.closed());
            }
        }

        /** Waits until everything this end was told has been handed to its listener. */
        void drain() throws InterruptedException {
            java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
            run(done::countDown);
            done.await(10, TimeUnit.SECONDS);
        }
    }
}
