package org.p2pchat.core;

import java.io.IOException;
import java.util.function.Consumer;

import org.osgi.annotation.versioning.ProviderType;

/** An ordered, reliable binary channel inside a {@link PeerSession}. */
@ProviderType
public interface PeerDataChannel extends AutoCloseable {

    String label();

    /**
     * Sends bytes, blocking while the channel's send buffer is full. Any length works: the
     * transport splits what is too large for one SCTP message, and the receiver sees the pieces in
     * order (message boundaries are not preserved).
     *
     * @throws IOException if the channel is closed or closes while waiting
     */
    void write(byte[] data, int offset, int length) throws IOException;

    /** Sets where received bytes go; the array is the receiver's to keep. */
    void onReceive(Consumer<byte[]> receiver);

    /** Called once when the channel closes, from either side. */
    void onClose(Runnable listener);

    boolean isOpen();

    @Override
    void close();
}
