package org.p2pchat.transport.webrtc.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import dev.onvoid.webrtc.RTCDataChannel;
import dev.onvoid.webrtc.RTCDataChannelBuffer;
import dev.onvoid.webrtc.RTCDataChannelState;

/**
 * Sends on an {@link RTCDataChannel} without tripping libwebrtc's silent failure modes.
 * <ul>
 * <li>A channel whose send buffer passes 16 MiB closes silently, and webrtc-java has no
 * buffered-amount-low event, so writers poll {@code getBufferedAmount()} and wait while it is
 * above a high-water mark.</li>
 * <li>{@code send} transmits a heap buffer's whole backing array, ignoring position and limit, so
 * callers pass exact-size arrays.</li>
 * <li>A message over the 256 KiB max-message-size closes the channel, so nothing larger than
 * {@link #MAX_MESSAGE_BYTES} is accepted here.</li>
 * </ul>
 */
final class ChannelWriter {

    /** libwebrtc's and Chromium's SCTP max-message-size. */
    static final int MAX_MESSAGE_BYTES = 256 * 1024;
    /** Far enough below the 16 MiB cliff; high enough to keep the SCTP association busy. */
    static final long HIGH_WATER_BYTES = 8L << 20;
    static final long LOW_WATER_BYTES = 2L << 20;
    private static final long POLL_NANOS = TimeUnit.MICROSECONDS.toNanos(250);

    private final RTCDataChannel channel;

    ChannelWriter(RTCDataChannel channel) {
        this.channel = channel;
    }

    /** Sends one message, waiting for buffer room first. Call from a thread that may block. */
    void send(byte[] message, boolean binary) throws IOException {
        checkSize(message);
        long buffered = bufferedAmount();
        if (buffered + message.length > HIGH_WATER_BYTES) {
            while (buffered > LOW_WATER_BYTES) {
                LockSupport.parkNanos(POLL_NANOS);
                if (Thread.interrupted()) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while waiting for the channel to drain");
                }
                buffered = bufferedAmount();
            }
        }
        sendNow(message, binary);
    }

    /**
     * Sends one small message without waiting. For libwebrtc's own callback thread, which must
     * never block (it is the thread that drains the buffer).
     */
    void sendNow(byte[] message, boolean binary) throws IOException {
        checkSize(message);
        requireOpen();
        try {
            channel.send(new RTCDataChannelBuffer(ByteBuffer.wrap(message), binary));
        } catch (Exception e) {
            throw new IOException("channel '" + label() + "' refused the message: " + e.getMessage(), e);
        }
    }

    private long bufferedAmount() throws IOException {
        requireOpen();
        try {
            return channel.getBufferedAmount();
        } catch (NullPointerException e) {
            // webrtc-java's "Object handle is null": the channel was disposed meanwhile.
            throw new IOException("channel '" + label() + "' is closed");
        }
    }

    private void requireOpen() throws IOException {
        RTCDataChannelState state;
        try {
            state = channel.getState();
        } catch (NullPointerException e) {
            throw new IOException("channel is closed");
        }
        if (state != RTCDataChannelState.OPEN) {
            throw new IOException("channel '" + label() + "' is " + state.name().toLowerCase());
        }
    }

    private String label() {
        try {
            return channel.getLabel();
        } catch (RuntimeException e) {
            return "?";
        }
    }

    private static void checkSize(byte[] message) {
        if (message.length > MAX_MESSAGE_BYTES) {
            throw new IllegalArgumentException("message of " + message.length + " bytes is over the "
                    + MAX_MESSAGE_BYTES + "-byte limit of a data channel message");
        }
    }
}
