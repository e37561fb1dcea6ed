package org.p2pchat.core.channel;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Sends on a {@link MessageChannel} without overflowing its send buffer. A WebRTC channel whose
 * buffer passes 16 MiB closes silently, and webrtc-java reports no "buffered amount low" event,
 * so a writer polls {@link MessageChannel#bufferedAmount()} and waits while it is above a
 * high-water mark.
 */
public final class Backpressure {

    /** Far enough below WebRTC's 16 MiB cliff; high enough to keep the connection busy. */
    public static final long HIGH_WATER_BYTES = 8L << 20;
    public static final long LOW_WATER_BYTES = 2L << 20;
    private static final long POLL_NANOS = TimeUnit.MICROSECONDS.toNanos(250);

    private Backpressure() {
    }

    /**
     * Sends one message, first waiting for room in the buffer. Call from a thread that may block,
     * never from the channel's own callbacks.
     *
     * @throws IOException if the channel closes, or the thread is interrupted while waiting
     */
    public static void send(MessageChannel channel, byte[] message, boolean binary) throws IOException {
        long buffered = channel.bufferedAmount();
        if (buffered + message.length > HIGH_WATER_BYTES) {
            while (buffered > LOW_WATER_BYTES) {
                LockSupport.parkNanos(POLL_NANOS);
                if (Thread.interrupted()) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while waiting for channel '" + channel.label() + "' to drain");
                }
                buffered = channel.bufferedAmount();
            }
        }
        channel.send(message, binary);
    }
}
