package org.p2pchat.files.bt.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.function.Predicate;

import org.p2pchat.core.files.TransferStatus;

/**
 * Carries one TCP connection of Bt over a {@link DirectLink}: TCP's own flow control suffices, so
 * this only encrypts one way and decrypts the other.
 */
final class DirectBridge extends Bridge {

    private final DirectLink link;

    /** See {@link Bridge#Bridge}. */
    DirectBridge(String name, DirectLink link, Callable<SocketChannel> connector, Predicate<byte[]> allowedInfoHash,
            LongConsumer received, Consumer<Bridge> onClose) {
        super(name, connector, allowedInfoHash, received, onClose);
        this.link = link;
    }

    @Override
    String path() {
        return TransferStatus.PATH_DIRECT;
    }

    @Override
    void pumpToSocket(SocketChannel s) throws IOException {
        byte[] plain = new byte[DirectLink.MAX_PLAINTEXT];
        while (!closed.get()) {
            int n = link.read(plain);
            if (n < 0) {
                return;
            }
            checkHandshake(plain, 0, n);
            ByteBuffer b = ByteBuffer.wrap(plain, 0, n);
            while (b.hasRemaining()) {
                s.write(b);
            }
            received.accept(n);
        }
    }

    @Override
    void pumpToPeer(SocketChannel s) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(DirectLink.MAX_PLAINTEXT);
        while (!closed.get()) {
            int n = s.read(b);
            if (n < 0) {
                return;
            }
            link.write(b.array(), 0, b.position());
            b.clear();
        }
    }

    @Override
    void closeTransport() {
        link.close();
    }
}
