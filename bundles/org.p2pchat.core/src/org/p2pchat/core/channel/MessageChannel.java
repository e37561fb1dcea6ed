package org.p2pchat.core.channel;

import java.io.IOException;

import org.osgi.annotation.versioning.ProviderType;

/**
 * An ordered, reliable channel of whole messages, each text (UTF-8) or binary, as a WebRTC data
 * channel is. Transports implement it over what they carry; {@link ChatChannel} and
 * {@link ByteStreamChannel} build on it.
 */
@ProviderType
public interface MessageChannel {

    String label();

    /**
     * The largest message {@link #send} takes. WebRTC's SCTP max-message-size is 256 KiB, and
     * libwebrtc closes a channel that is sent more.
     */
    int maxMessageBytes();

    boolean isOpen();

    /**
     * Sends one whole message without waiting; it is queued behind what is still buffered.
     * The array is the channel's from here on: callers pass exact-size arrays they no longer change.
     *
     * @throws IOException              if the channel is not open or refuses the message
     * @throws IllegalArgumentException if the message is over {@link #maxMessageBytes()}
     */
    void send(byte[] message, boolean binary) throws IOException;

    /**
     * The bytes sent but not yet handed to the network. Senders poll it to keep the buffer from
     * overflowing ({@link Backpressure}).
     *
     * @throws IOException if the channel is closed
     */
    long bufferedAmount() throws IOException;

    /**
     * Sets who hears of this channel's events, replacing any earlier listener. If the channel is
     * open already and the open was not reported yet, {@link MessageChannelListener#opened()} is
     * called before this returns.
     */
    void setListener(MessageChannelListener listener);

    /**
     * Closes the channel: the other side hears {@link MessageChannelListener#closed()}, this side's
     * listener hears nothing more. Idempotent.
     */
    void close();
}
