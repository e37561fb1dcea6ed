package org.p2pchat.files.bt.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.function.Predicate;

import org.p2pchat.core.PeerDataChannel;
import org.p2pchat.core.files.TransferStatus;

/**
 * Carries one TCP connection of Bt over one data channel, so that BitTorrent goes wherever the
 * chat goes (NAT, TURN).
 * <p>
 * The channel carries frames: a 4-byte header (type, 24-bit length) and a payload. DATA frames
 * carry the stream; CREDIT frames give flow control, because a data channel's receiver cannot
 * push back (libwebrtc's callback thread must never block): each side sends at most
 * {@link #WINDOW} bytes that the other has not yet written to its socket.
 * <p>
 * Threads: libwebrtc's callback only parses frames and queues payloads; one thread writes them
 * to the socket and returns credit, another reads the socket and sends.
 */
final class ChannelBridge extends Bridge {

    static final int WINDOW = 8 << 20;
    static final int CREDIT_STEP = 1 << 20;
    /** One frame is one SCTP message at most (256 KiB), so frames never interleave. */
    static final int MAX_FRAME = 256 * 1024;
    static final int HEADER = 4;
    static final byte DATA = 0;
    static final byte CREDIT = 1;
    /** Frames smaller than this wait up to {@link #LINGER_NANOS} for more bytes. */
    static final int SMALL_FRAME = 4096;
    static final long LINGER_NANOS = 2_000_000;
    private static final long LINGER_POLL_NANOS = 100_000;

    private static final ByteBuffer END = ByteBuffer.allocate(0);

    private final PeerDataChannel channel;
    private final BlockingQueue<ByteBuffer> toSocket = new LinkedBlockingQueue<>();
    private final Object creditLock = new Object();
    private long sendCredit = WINDOW; // guarded by creditLock

    // Frame parser state; only libwebrtc's callback thread touches it.
    private final byte[] header = new byte[HEADER];
    private int headerFill;
    private int payloadLeft = -1;
    private byte payloadType;
    private final byte[] creditBytes = new byte[4];
    private int creditFill;

    /** See {@link Bridge#Bridge}. */
    ChannelBridge(String name, PeerDataChannel channel, Callable<SocketChannel> connector,
            Predicate<byte[]> allowedInfoHash, LongConsumer received, Consumer<Bridge> onClose) {
        super(name, connector, allowedInfoHash, received, onClose);
        this.channel = channel;
    }

    @Override
    String path() {
        return TransferStatus.PATH_DATA_CHANNEL;
    }

    /** Call on the thread that learnt of the channel, before it returns, so no data is missed. */
    @Override
    void start() {
        channel.onReceive(this::onFrames);
        channel.onClose(this::close);
        super.start();
    }

    /** Peer → socket, returning credit as bytes are written. */
    @Override
    void pumpToSocket(SocketChannel s) throws IOException, InterruptedException {
        long unacknowledged = 0;
        while (!closed.get()) {
            ByteBuffer b = toSocket.take();
            if (b == END) {
                return;
            }
            int n = b.remaining();
            while (b.hasRemaining()) {
                s.write(b);
            }
            received.accept(n);
            unacknowledged += n;
            if (unacknowledged >= CREDIT_STEP) {
                byte[] frame = new byte[HEADER + 4];
                header(frame, CREDIT, 4);
                putInt(frame, HEADER, (int) unacknowledged);
                channel.write(frame, 0, frame.length);
                unacknowledged = 0;
            }
        }
    }

    /** Socket → peer, within the credit the peer gave. */
    @Override
    void pumpToPeer(SocketChannel s) throws IOException, InterruptedException {
        byte[] frame = new byte[MAX_FRAME];
        java.io.InputStream in = s.socket().getInputStream();
        while (!closed.get()) {
            int room = awaitCredit(MAX_FRAME - HEADER);
            ByteBuffer into = ByteBuffer.wrap(frame, HEADER, room);
            int n = s.read(into);
            if (n < 0) {
                return;
            }
            // Bt writes 16 KiB blocks: take what else is already there into the same frame,
            // since each data-channel message costs as much CPU as many kilobytes do.
            long lingerUntil = n < SMALL_FRAME ? System.nanoTime() + LINGER_NANOS : 0;
            while (into.hasRemaining()) {
                if (in.available() > 0) {
                    int more = s.read(into);
                    if (more <= 0) {
                        break;
                    }
                    n += more;
                } else if (n < SMALL_FRAME && System.nanoTime() < lingerUntil) {
                    // A lone request (17 bytes) is not worth a message: Bt keeps hundreds in
                    // flight, so a moment's wait for the next costs nothing.
                    LockSupport.parkNanos(LINGER_POLL_NANOS);
                } else {
                    break;
                }
            }
            synchronized (creditLock) {
                sendCredit -= n;
            }
            header(frame, DATA, n);
            // The channel copies the message before write returns, so the array is reused.
            channel.write(n + HEADER == frame.length ? frame : Arrays.copyOf(frame, n + HEADER), 0, n + HEADER);
        }
    }

    private int awaitCredit(int max) throws InterruptedException {
        synchronized (creditLock) {
            while (sendCredit <= 0 && !closed.get()) {
                creditLock.wait(100);
            }
            return (int) Math.min(max, Math.max(sendCredit, 0));
        }
    }

    /** On libwebrtc's callback thread: parse, queue, never block. */
    private void onFrames(byte[] data) {
        int pos = 0;
        try {
            while (pos < data.length && !closed.get()) {
                if (payloadLeft < 0) {
                    int n = Math.min(HEADER - headerFill, data.length - pos);
                    System.arraycopy(data, pos, header, headerFill, n);
                    headerFill += n;
                    pos += n;
                    if (headerFill == HEADER) {
                        headerFill = 0;
                        payloadType = header[0];
                        payloadLeft = ((header[1] & 0xff) << 16) | ((header[2] & 0xff) << 8) | (header[3] & 0xff);
                        if ((payloadType != DATA && payloadType != CREDIT) || payloadLeft > MAX_FRAME
                                || (payloadType == CREDIT && payloadLeft != 4)) {
                            throw new IOException("not a bridge frame");
                        }
                        if (payloadLeft == 0) {
                            payloadLeft = -1;
                        }
                    }
                } else {
                    int n = Math.min(payloadLeft, data.length - pos);
                    if (payloadType == DATA) {
                        checkHandshake(data, pos, n);
                        toSocket.add(ByteBuffer.wrap(data, pos, n));
                    } else {
                        System.arraycopy(data, pos, creditBytes, creditFill, n);
                        creditFill += n;
                        if (creditFill == 4) {
                            creditFill = 0;
                            int credit = getInt(creditBytes, 0);
                            synchronized (creditLock) {
                                sendCredit += credit;
                                creditLock.notifyAll();
                            }
                        }
                    }
                    pos += n;
                    payloadLeft -= n;
                    if (payloadLeft == 0) {
                        payloadLeft = -1;
                    }
                }
            }
        } catch (IOException e) {
            close();
        }
    }

    private static void header(byte[] frame, byte type, int length) {
        frame[0] = type;
        frame[1] = (byte) (length >>> 16);
        frame[2] = (byte) (length >>> 8);
        frame[3] = (byte) length;
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    private static int getInt(byte[] b, int at) {
        return ((b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
    }

    @Override
    void closeTransport() {
        toSocket.clear();
        toSocket.add(END);
        synchronized (creditLock) {
            creditLock.notifyAll();
        }
        channel.close();
    }
}
