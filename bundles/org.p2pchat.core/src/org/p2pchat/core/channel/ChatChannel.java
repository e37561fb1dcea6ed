package org.p2pchat.core.channel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.p2pchat.core.ChatMessage;
import org.p2pchat.core.SessionException;
import org.p2pchat.core.wire.ChatCodec;
import org.p2pchat.core.wire.FrameAssembler;
import org.p2pchat.core.wire.FramingException;
import org.p2pchat.core.wire.MessageFraming;
import org.p2pchat.core.wire.WireMessage;

/**
 * The chat on one {@link MessageChannel}, as the web app speaks it, plus what only our clients
 * speak: the channel carries the web app's JSON text messages (ours with a delivery sequence number,
 * which the peer's client acknowledges: {@link #acknowledge}); when it opens each side sends the
 * web app's join notice, ours naming our client ({@link ChatCodec#CLIENT_FIELD}), which is how
 * each side tells our client from the web app ({@link #peerClient()}). To a peer running our
 * client, a message too large for one text message goes as binary frames ({@link MessageFraming})
 * and pings are answered; to the web app, text goes whole up to its size limit and nothing else.
 * <p>
 * Threads: the channel's callbacks must never block, so chat messages are written by one sender
 * thread per channel, in order, with {@link Backpressure}; pings and pongs are sent at once.
 */
public final class ChatChannel implements AutoCloseable {

    /** Sent in our join notice so the peer knows it may use framing and pings. */
    public static final String CLIENT_NAME = "p2pchat-desktop/0.1";
    /** What every one of our clients' names starts with. */
    public static final String OUR_CLIENT_PREFIX = "p2pchat-";
    /** Text messages up to this size go as one text message, to any peer. */
    public static final int PLAIN_TEXT_LIMIT = MessageFraming.MAX_FRAME_BYTES;
    /** The web app takes one text message up to its data channel's max-message-size, 256 KiB. */
    public static final int WEB_APP_TEXT_LIMIT = 256 * 1024;
    /** How long a large send or a ping waits for the peer's join notice to learn what client it is. */
    public static final long PEER_HELLO_WAIT_MS = 3000;
    static final int MAX_QUEUED_MESSAGES = 10_000;
    static final long MAX_QUEUED_BYTES = 512L << 20;

    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final MessageChannel channel;
    private final String displayName;
    private final long maxMessageBytes;
    private final ChatChannelListener listener;
    private final FrameAssembler assembler;
    private final ThreadPoolExecutor sender;
    private final AtomicLong queuedBytes = new AtomicLong();
    private final Map<String, PendingPing> pings = new ConcurrentHashMap<>();
    /** The peer's client name from its first message; "" for a peer that names none (the web app). */
    private final CompletableFuture<String> peerClient = new CompletableFuture<>();
    private final AtomicBoolean opened = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();

    private record PendingPing(long sentNanos, CompletableFuture<Long> result) {
    }

    /**
     * Takes over {@code channel} (it becomes the channel's listener).
     *
     * @param displayName     our name for the join notice; "Someone" if {@code null}
     * @param maxMessageBytes the largest chat message sent or received
     */
    public ChatChannel(MessageChannel channel, String displayName, long maxMessageBytes, ChatChannelListener listener) {
        if (maxMessageBytes <= 0) {
            throw new IllegalArgumentException("maxMessageBytes must be positive: " + maxMessageBytes);
        }
        this.channel = channel;
        this.displayName = displayName == null ? "Someone" : displayName;
        this.maxMessageBytes = maxMessageBytes;
        this.listener = listener;
        this.assembler = new FrameAssembler(maxMessageBytes);
        String name = "p2pchat-chat-" + COUNTER.incrementAndGet() + "-sender";
        this.sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(MAX_QUEUED_MESSAGES), r -> {
                    Thread t = new Thread(r, name);
                    t.setDaemon(true);
                    return t;
                });
        channel.setListener(new MessageChannelListener() {
            @Override
            public void opened() {
                channelOpened();
            }

            @Override
            public void received(byte[] message, boolean binary) {
                channelReceived(message, binary);
            }

            @Override
            public void closed() {
                channelClosed();
            }
        });
    }

    /** Open and not closed: messages can be sent. */
    public boolean isOpen() {
        return opened.get() && !closed.get();
    }

    /**
     * The client the peer named in its join notice ({@code "p2pchat-..."} for ours). Completes
     * with the peer's first message, with {@code ""} if it names none (the web app); fails with a
     * {@link SessionException} if the channel closes before the peer sent anything.
     */
    public CompletableFuture<String> peerClient() {
        return peerClient.copy();
    }

    // ---- channel events ----------------------------------------------------------------------

    private void channelOpened() {
        if (closed.get() || !opened.compareAndSet(false, true)) {
            return;
        }
        enqueue(ChatCodec.encode(ChatMessage.joinNotice(displayName), CLIENT_NAME), new CompletableFuture<>());
        report(listener::opened);
    }

    private void channelReceived(byte[] message, boolean binary) {
        if (closed.get()) {
            return;
        }
        if (binary) {
            receiveFrame(message);
        } else {
            receiveText(new String(message, StandardCharsets.UTF_8));
        }
    }

    private void channelClosed() {
        boolean wasOpen = opened.get();
        if (shutDown() && wasOpen) {
            report(listener::closed);
        }
    }

    private void receiveText(String text) {
        switch (ChatCodec.decode(text)) {
            case WireMessage.Chat chat -> {
                peerClient.complete(chat.client() == null ? "" : chat.client());
                report(() -> listener.messageReceived(chat.message()));
            }
            case WireMessage.Ping ping -> {
                try {
                    channel.send(utf8(ChatCodec.encodePong(ping.id())), false);
                } catch (IOException | IllegalArgumentException e) {
                    report(() -> listener.problem("Could not answer a ping: " + e.getMessage()));
                }
            }
            case WireMessage.Pong pong -> {
                PendingPing p = pings.remove(pong.id());
                if (p != null) {
                    p.result().complete(System.nanoTime() - p.sentNanos());
                }
            }
            case WireMessage.Ack ack -> report(() -> listener.acknowledged(ack.seq()));
            case WireMessage.Unknown unknown -> report(() -> listener.unknownMessage(unknown.type(), unknown.json()));
            case WireMessage.Malformed bad -> report(() -> listener.problem("Ignored a message from the peer: " + bad.reason()));
        }
    }

    private void receiveFrame(byte[] frame) {
        try {
            FrameAssembler.Assembled whole = assembler.accept(frame);
            if (whole == null) {
                return;
            }
            if (whole.isJson()) {
                receiveText(new String(whole.payload(), StandardCharsets.UTF_8));
            } else {
                int length = whole.payload().length;
                report(() -> listener.problem("Ignored " + length + " bytes of binary data of an unknown kind."));
            }
        } catch (FramingException e) {
            report(() -> listener.problem("Dropped a message from the peer: " + e.getMessage()));
        }
    }

    /** A faulty listener must not take the transport's thread down with it. */
    private void report(Runnable event) {
        try {
            event.run();
        } catch (RuntimeException e) {
            System.getLogger(ChatChannel.class.getName()).log(System.Logger.Level.WARNING,
                    "chat channel '" + channel.label() + "': listener failed", e);
        }
    }

    // ---- sending -----------------------------------------------------------------------------

    /**
     * Queues a chat message. Messages of any size up to the cap are delivered whole and in order.
     * The future completes when the message has been handed to the channel, or fails with a
     * {@link SessionException} saying why it could not be sent.
     */
    public CompletableFuture<Void> send(ChatMessage message) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        if (closed.get()) {
            result.completeExceptionally(new SessionException("Not sent: the connection is closed."));
        } else if (!opened.get()) {
            result.completeExceptionally(new SessionException("Not sent: the chat is not connected yet."));
        } else {
            enqueue(ChatCodec.encode(message), result);
        }
        return result;
    }

    /**
     * Tells the peer's client that every sequenced message up to {@code seq} is stored: a cumulative
     * acknowledgement, queued behind the messages sent before it (so after our join notice). For a
     * peer running our client only; does nothing on a channel that is not open.
     */
    public void acknowledge(long seq) {
        if (isOpen()) {
            enqueue(ChatCodec.encodeAck(seq), new CompletableFuture<>());
        }
    }

    private void enqueue(String json, CompletableFuture<Void> result) {
        byte[] bytes = utf8(json);
        if (bytes.length > maxMessageBytes) {
            result.completeExceptionally(new SessionException("Not sent: the message is " + bytes.length
                    + " bytes, over the limit of " + maxMessageBytes + " bytes."));
            return;
        }
        if (queuedBytes.addAndGet(bytes.length) > MAX_QUEUED_BYTES) {
            queuedBytes.addAndGet(-bytes.length);
            result.completeExceptionally(new SessionException("Not sent: too much is waiting to be sent; try again shortly."));
            return;
        }
        try {
            sender.execute(() -> {
                try {
                    write(bytes);
                    result.complete(null);
                } catch (IOException | IllegalArgumentException e) {
                    result.completeExceptionally(new SessionException("Not sent: " + e.getMessage(), e));
                } catch (SessionException e) {
                    result.completeExceptionally(e);
                } finally {
                    queuedBytes.addAndGet(-bytes.length);
                }
            });
        } catch (RejectedExecutionException e) {
            queuedBytes.addAndGet(-bytes.length);
            result.completeExceptionally(new SessionException(closed.get() ? "Not sent: the connection is closed."
                    : "Not sent: too many messages are waiting to be sent; try again shortly."));
        }
    }

    /** On the sender thread. */
    private void write(byte[] json) throws IOException, SessionException {
        if (json.length <= PLAIN_TEXT_LIMIT) {
            Backpressure.send(channel, json, false);
            return;
        }
        int webAppLimit = Math.min(WEB_APP_TEXT_LIMIT, channel.maxMessageBytes());
        if (peerSpeaksFraming()) {
            int frameBytes = Math.min(MessageFraming.MAX_FRAME_BYTES, channel.maxMessageBytes());
            for (Iterator<byte[]> frames = MessageFraming.frames(json, MessageFraming.FLAG_JSON, frameBytes); frames.hasNext();) {
                Backpressure.send(channel, frames.next(), true);
            }
        } else if (json.length <= webAppLimit) {
            Backpressure.send(channel, json, false);
        } else {
            throw new SessionException("Not sent: your peer uses the web app, which cannot receive a message over "
                    + webAppLimit / 1024 + " KiB; this one is " + json.length / 1024 + " KiB.");
        }
    }

    private boolean peerSpeaksFraming() throws IOException {
        try {
            return isOurClient(peerClient.get(PEER_HELLO_WAIT_MS, TimeUnit.MILLISECONDS));
        } catch (TimeoutException | ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }

    /** Whether {@code client}, a peer's client name, is one of ours. */
    public static boolean isOurClient(String client) {
        return client != null && client.startsWith(OUR_CLIENT_PREFIX);
    }

    /**
     * Sends a ping the peer's client answers by itself; completes with the round-trip time in
     * nanoseconds. Fails with a {@link SessionException} if the peer's client does not answer pings
     * (the web app) or has not introduced itself within {@link #PEER_HELLO_WAIT_MS}.
     */
    public CompletableFuture<Long> ping() {
        if (!isOpen()) {
            return CompletableFuture.failedFuture(new SessionException("Not connected."));
        }
        // Right after connecting, the peer's join notice (which says what client it is) may still be on its way.
        return peerClient.copy().completeOnTimeout(null, PEER_HELLO_WAIT_MS, TimeUnit.MILLISECONDS).thenCompose(client -> {
            if (!isOurClient(client)) {
                return CompletableFuture.failedFuture(new SessionException(client == null
                        ? "The peer has not introduced itself." : "The peer's app does not answer pings."));
            }
            CompletableFuture<Long> result = new CompletableFuture<>();
            String id = UUID.randomUUID().toString();
            pings.put(id, new PendingPing(System.nanoTime(), result));
            try {
                channel.send(utf8(ChatCodec.encodePing(id)), false);
            } catch (IOException | IllegalArgumentException e) {
                pings.remove(id);
                result.completeExceptionally(new SessionException("Ping not sent: " + e.getMessage(), e));
            }
            if (closed.get() && pings.remove(id) != null) {
                result.completeExceptionally(new SessionException("The connection was closed."));
            }
            return result;
        });
    }

    // ---- closing -----------------------------------------------------------------------------

    /** Closes the channel; what waits on it fails. Idempotent; reports no {@code closed()} event. */
    @Override
    public void close() {
        shutDown();
        channel.close();
    }

    /** @return whether this call shut the chat down */
    private boolean shutDown() {
        if (!closed.compareAndSet(false, true)) {
            return false;
        }
        sender.shutdownNow();
        SessionException closedError = new SessionException("The connection was closed.");
        pings.values().forEach(p -> p.result().completeExceptionally(closedError));
        pings.clear();
        peerClient.completeExceptionally(new SessionException("The chat closed before the peer introduced itself."));
        return true;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "ChatChannel[" + channel.label() + (isOpen() ? ", open" : closed.get() ? ", closed" : "") + "]";
    }
}
