package org.p2pchat.core.channel;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.p2pchat.core.PeerDataChannel;

/**
 * A binary byte stream (file transfer, benchmarks) over one {@link MessageChannel}: writes are
 * cut into messages the channel takes and sent with {@link Backpressure}. The peer may write as
 * soon as the channel opens: what arrives before {@link #onReceive} is kept (up to 4 MiB,
 * beyond which the channel is closed) and handed to the receiver first, in order.
 */
public final class ByteStreamChannel implements PeerDataChannel {

    private final MessageChannel channel;
    private final Consumer<PeerDataChannel> onOpen;
    private final AtomicBoolean opened = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** What is kept for a receiver that is not set yet; beyond it the channel is closed. */
    private static final int MAX_EARLY_BYTES = 4 * 1024 * 1024;

    private static final System.Logger LOG = System.getLogger(ByteStreamChannel.class.getName());

    /** The receiver; null until set, while {@link #early} keeps what comes. */
    private Consumer<byte[]> receiver;
    /** Received bytes not handed to a receiver yet, in order; null once it has all of them. */
    private ArrayDeque<byte[]> early = new ArrayDeque<>();
    private long earlyBytes;
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
                deliver(message);
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

    private void deliver(byte[] message) {
        Consumer<byte[]> to;
        synchronized (this) {
            if (early != null) {
                earlyBytes += message.length;
                if (earlyBytes > MAX_EARLY_BYTES) {
                    LOG.log(Level.WARNING, "channel ''{0}'': over {1} bytes came before anyone read; closing it",
                            label(), MAX_EARLY_BYTES);
                    early.clear();
                    to = null;
                } else {
                    early.add(message);
                    return;
                }
            } else {
                to = receiver;
            }
        }
        if (to == null) {
            close();
        } else {
            to.accept(message);
        }
    }

    /** Sets where received bytes go; what came before is handed to it first. */
    @Override
    public void onReceive(Consumer<byte[]> receiver) {
        synchronized (this) {
            this.receiver = receiver;
            if (early == null) {
                return;
            }
        }
        // One at a time, so that bytes arriving meanwhile queue behind the earlier ones.
        while (true) {
            byte[] next;
            synchronized (this) {
                next = early.poll();
                if (next == null) {
                    early = null;
                    return;
                }
            }
            receiver.accept(next);
        }
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
