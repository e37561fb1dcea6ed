package org.p2pchat.core.channel;

import java.io.IOException;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.p2pchat.core.PeerDataChannel;

/**
 * A binary byte stream (file transfer, benchmarks) over one {@link MessageChannel}: writes are
 * cut into messages the channel takes and sent with {@link Backpressure}.
 */
public final class ByteStreamChannel implements PeerDataChannel {

    private final MessageChannel channel;
    private final Consumer<PeerDataChannel> onOpen;
    private final AtomicBoolean opened = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Consumer<byte[]> receiver = bytes -> {
    };
    private volatile Runnable closeListener = () -> {
    };

    /** @param onOpen called once, when the channel opens (possibly before this constructor returns) */
    public ByteStreamChannel(MessageChannel channel, Consumer<PeerDataChannel> onOpen) {
        this.channel = channel;
        this.onOpen = onOpen;
        channel.setListener(new MessageChannelListener() {
            @Override
            public void opened() {
                if (opened.compareAndSet(false, true)) {
                    onOpen.accept(ByteStreamChannel.this);
                }
            }

            @Override
            public void received(byte[] message, boolean binary) {
                receiver.accept(message);
            }

            @Override
            public void closed() {
                if (closed.compareAndSet(false, true)) {
                    closeListener.run();
                }
            }
        });
    }

    @Override
    public String label() {
        return channel.label();
    }

    @Override
    public void write(byte[] data, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, data.length);
        int max = channel.maxMessageBytes();
        int end = offset + length;
        for (int pos = offset; pos < end; pos += max) {
            int n = Math.min(max, end - pos);
            byte[] exact = (pos == 0 && n == data.length) ? data : Arrays.copyOfRange(data, pos, pos + n);
            Backpressure.send(channel, exact, true);
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
            channel.close();
            closeListener.run();
        }
    }
}
