package org.p2pchat.files.bt.internal;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.function.Predicate;

/**
 * Carries one TCP connection of Bt to the peer, so Bt needs no change: Bt talks TCP to a loopback
 * socket, a bridge pipes the bytes to the peer's side, which pipes them into the peer's Bt. How
 * the bytes travel is the subclass's: a data channel ({@link ChannelBridge}) or an encrypted
 * direct TCP connection ({@link DirectBridge}).
 * <p>
 * Threads: one thread connects the socket and then writes what comes from the peer into it; a
 * second reads the socket and sends to the peer.
 */
abstract class Bridge implements AutoCloseable {

    /** Where the info-hash sits in the BitTorrent handshake: 1 + 19 ("BitTorrent protocol") + 8. */
    private static final int HANDSHAKE_HASH_OFFSET = 28;

    final String name;
    private final Callable<SocketChannel> connector;
    private final Predicate<byte[]> allowedInfoHash;
    private final byte[] handshake = new byte[HANDSHAKE_HASH_OFFSET + 20];
    private long streamPosition;
    final LongConsumer received;
    private final Consumer<Bridge> onClose;
    final AtomicBoolean closed = new AtomicBoolean();
    private volatile SocketChannel socket;

    /**
     * @param connector        gives the socket, on the bridge's own thread (may wait, e.g. for the
     *                         seeding torrent to be ready)
     * @param allowedInfoHash  if set, the first bytes from the peer must be a BitTorrent handshake
     *                         for a torrent it accepts, or the bridge closes: the peer may only
     *                         reach what it was offered
     * @param received         told how many bytes from the peer reached the socket
     * @param onClose          told once, when the bridge has closed
     */
    Bridge(String name, Callable<SocketChannel> connector, Predicate<byte[]> allowedInfoHash, LongConsumer received,
            Consumer<Bridge> onClose) {
        this.name = name;
        this.connector = connector;
        this.allowedInfoHash = allowedInfoHash;
        this.received = received;
        this.onClose = onClose;
    }

    /** How the bytes travel, as {@link org.p2pchat.core.files.TransferStatus#path()} names it. */
    abstract String path();

    /** Copies what the peer sends into the socket until either ends. */
    abstract void pumpToSocket(SocketChannel s) throws IOException, InterruptedException;

    /** Sends what Bt writes to the socket to the peer until either ends. */
    abstract void pumpToPeer(SocketChannel s) throws IOException, InterruptedException;

    /** Closes the way to the peer; called once. */
    abstract void closeTransport();

    void start() {
        Thread t = new Thread(this::run, name + "-in");
        t.setDaemon(true);
        t.start();
    }

    private void run() {
        try {
            SocketChannel s = connector.call();
            socket = s;
            if (closed.get()) {
                s.close();
                return;
            }
            s.socket().setTcpNoDelay(true);
            Thread out = new Thread(() -> {
                try {
                    pumpToPeer(s);
                } catch (IOException | InterruptedException e) {
                    // socket or peer gone
                } finally {
                    close();
                }
            }, name + "-out");
            out.setDaemon(true);
            out.start();
            pumpToSocket(s);
        } catch (Exception e) {
            // Connection refused, peer gone, interrupted: the bridge ends, Bt reconnects if it wants.
        } finally {
            close();
        }
    }

    /** Checks the start of the peer's stream; call from one thread only, with every byte from the peer in order. */
    void checkHandshake(byte[] data, int pos, int n) throws IOException {
        if (allowedInfoHash == null || streamPosition >= handshake.length) {
            return;
        }
        int take = (int) Math.min(n, handshake.length - streamPosition);
        System.arraycopy(data, pos, handshake, (int) streamPosition, take);
        streamPosition += take;
        if (streamPosition == handshake.length
                && !allowedInfoHash.test(Arrays.copyOfRange(handshake, HANDSHAKE_HASH_OFFSET, handshake.length))) {
            throw new IOException("the peer asked for a torrent it was not offered");
        }
    }

    boolean isClosed() {
        return closed.get();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        closeTransport();
        SocketChannel s = socket;
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                // closed already
            }
        }
        onClose.accept(this);
    }
}
