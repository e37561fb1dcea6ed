package org.p2pchat.transport.webrtc.internal;

import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.p2pchat.core.PeerDataChannel;

import dev.onvoid.webrtc.RTCDataChannel;
import dev.onvoid.webrtc.RTCDataChannelBuffer;
import dev.onvoid.webrtc.RTCDataChannelObserver;
import dev.onvoid.webrtc.RTCDataChannelState;

/** A binary byte-stream channel (file transfer, benchmarks) over one RTCDataChannel. */
final class WebRtcDataChannel implements PeerDataChannel, RTCDataChannelObserver {

    private final RTCDataChannel channel;
    private final ChannelWriter writer;
    private final String label;
    private final Consumer<PeerDataChannel> onOpen;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean opened = new AtomicBoolean();
    private volatile Consumer<byte[]> receiver = bytes -> {
    };
    private volatile Runnable closeListener = () -> {
    };

    /** @param onOpen called once, when the channel opens (possibly before this constructor returns) */
    WebRtcDataChannel(RTCDataChannel channel, Consumer<PeerDataChannel> onOpen) {
        this.channel = channel;
        this.label = channel.getLabel();
        this.writer = new ChannelWriter(channel);
        this.onOpen = onOpen;
        channel.registerObserver(this);
        if (channel.getState() == RTCDataChannelState.OPEN) {
            onStateChange();
        }
    }

    @Override
    public String label() {
        return label;
    }

    @Override
    public void write(byte[] data, int offset, int length) throws IOException {
        java.util.Objects.checkFromIndexSize(offset, length, data.length);
        int end = offset + length;
        for (int pos = offset; pos < end; pos += ChannelWriter.MAX_MESSAGE_BYTES) {
            int n = Math.min(ChannelWriter.MAX_MESSAGE_BYTES, end - pos);
            byte[] exact = (pos == 0 && n == data.length) ? data : Arrays.copyOfRange(data, pos, pos + n);
            writer.send(exact, true);
        }
    }

    @Override
    public void onReceive(Consumer<byte[]> receiver) {
        this.receiver = receiver;
    }

    @Override
    public void onClose(Runnable listener) {
        this.closeListener = listener;
        if (closed.get()) {
            listener.run();
        }
    }

    @Override
    public boolean isOpen() {
        return !closed.get() && opened.get();
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                channel.close();
            } catch (RuntimeException e) {
                // Already gone with its peer connection.
            }
            closeListener.run();
        }
    }

    @Override
    public void onBufferedAmountChange(long previousAmount) {
    }

    @Override
    public void onStateChange() {
        RTCDataChannelState state;
        try {
            state = channel.getState();
        } catch (RuntimeException e) {
            state = RTCDataChannelState.CLOSED;
        }
        if (state == RTCDataChannelState.OPEN && opened.compareAndSet(false, true)) {
            onOpen.accept(this);
        } else if (state == RTCDataChannelState.CLOSED && closed.compareAndSet(false, true)) {
            closeListener.run();
        }
    }

    @Override
    public void onMessage(RTCDataChannelBuffer buffer) {
        receiver.accept(Received.copy(buffer));
    }
}
