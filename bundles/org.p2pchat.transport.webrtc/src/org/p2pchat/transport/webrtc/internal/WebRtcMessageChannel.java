package org.p2pchat.transport.webrtc.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;

import org.p2pchat.core.channel.MessageChannel;
import org.p2pchat.core.channel.MessageChannelListener;

import dev.onvoid.webrtc.RTCDataChannel;
import dev.onvoid.webrtc.RTCDataChannelBuffer;
import dev.onvoid.webrtc.RTCDataChannelObserver;
import dev.onvoid.webrtc.RTCDataChannelState;

/**
 * One RTCDataChannel as a core {@link MessageChannel}, without tripping libwebrtc's silent failure
 * modes:
 * <ul>
 * <li>{@code send} transmits a heap buffer's whole backing array, ignoring position and limit, so
 * only exact-size arrays are sent.</li>
 * <li>A message over the 256 KiB max-message-size closes the channel, so nothing larger than
 * {@link #MAX_MESSAGE_BYTES} is accepted.</li>
 * <li>A received buffer is freed when the callback returns, so it is copied inside it.</li>
 * <li>A disposed channel answers with "Object handle is null" NullPointerExceptions, which are
 * turned into "closed".</li>
 * </ul>
 */
final class WebRtcMessageChannel implements MessageChannel, RTCDataChannelObserver {

    /** libwebrtc's and Chromium's SCTP max-message-size. */
    static final int MAX_MESSAGE_BYTES = 256 * 1024;

    private static final MessageChannelListener NOBODY = new MessageChannelListener() {
    };

    private final RTCDataChannel channel;
    private final String label;
    private final AtomicBoolean openReported = new AtomicBoolean();
    private final AtomicBoolean closeReported = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile MessageChannelListener listener = NOBODY;

    WebRtcMessageChannel(RTCDataChannel channel) {
        this.channel = channel;
        this.label = channel.getLabel();
        channel.registerObserver(this);
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
        return !closed.get() && state() == RTCDataChannelState.OPEN;
    }

    @Override
    public void send(byte[] message, boolean binary) throws IOException {
        if (message.length > MAX_MESSAGE_BYTES) {
            throw new IllegalArgumentException("message of " + message.length + " bytes is over the "
                    + MAX_MESSAGE_BYTES + "-byte limit of a data channel message");
        }
        requireOpen();
        try {
            channel.send(new RTCDataChannelBuffer(ByteBuffer.wrap(message), binary));
        } catch (Exception e) {
            throw new IOException("channel '" + label + "' refused the message: " + e.getMessage(), e);
        }
    }

    @Override
    public long bufferedAmount() throws IOException {
        requireOpen();
        try {
            return channel.getBufferedAmount();
        } catch (NullPointerException e) {
            throw new IOException("channel '" + label + "' is closed");
        }
    }

    private void requireOpen() throws IOException {
        RTCDataChannelState state = closed.get() ? RTCDataChannelState.CLOSED : state();
        if (state != RTCDataChannelState.OPEN) {
            throw new IOException("channel '" + label + "' is " + state.name().toLowerCase());
        }
    }

    private RTCDataChannelState state() {
        try {
            return channel.getState();
        } catch (RuntimeException e) {
            return RTCDataChannelState.CLOSED;
        }
    }

    @Override
    public void setListener(MessageChannelListener listener) {
        this.listener = listener;
        onStateChange();
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                channel.unregisterObserver();
                channel.close();
            } catch (RuntimeException e) {
                // Already gone with its peer connection.
            }
        }
    }

    @Override
    public void onBufferedAmountChange(long previousAmount) {
        // Never called by webrtc-java 0.14; senders poll bufferedAmount().
    }

    @Override
    public void onStateChange() {
        if (closed.get()) {
            return;
        }
        RTCDataChannelState state = state();
        if (state == RTCDataChannelState.OPEN && openReported.compareAndSet(false, true)) {
            listener.opened();
        } else if (state == RTCDataChannelState.CLOSED && closeReported.compareAndSet(false, true)) {
            listener.closed();
        }
    }

    @Override
    public void onMessage(RTCDataChannelBuffer buffer) {
        ByteBuffer data = buffer.data;
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        listener.received(bytes, buffer.binary);
    }
}
