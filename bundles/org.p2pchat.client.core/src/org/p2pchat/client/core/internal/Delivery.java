package org.p2pchat.client.core.internal;

import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.WeakHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

import org.p2pchat.client.core.ClientEvent;
import org.p2pchat.core.ChatMessage;
import org.p2pchat.core.ConnectionState;
import org.p2pchat.core.PeerSession;
import org.p2pchat.core.SessionException;
import org.p2pchat.core.channel.ChatChannel;
import org.p2pchat.core.identity.PublicIdentity;
import org.p2pchat.core.wire.ChatCodec;
import org.p2pchat.history.DeliveryState;
import org.p2pchat.history.MessageHistory;
import org.p2pchat.history.StoredMessage;

/**
 * The delivery of one conversation's messages, and their place in the history. Every message is
 * stored before it is shown or sent. To a peer running our client, ours carry the conversation's
 * next sequence number; the peer's client acknowledges cumulatively once it stored them, first
 * right after a session opens with what it has (the resume point). From the resume point on, the
 * unacknowledged messages go out in order, then new ones: so a reconnection, or a later
 * conversation with the same peer (after a restart), sends everything not acknowledged once and
 * in order, and the receiver drops repeats by sequence number. The web app acknowledges nothing:
 * its messages and ours carry no number and ours stay "sent" (best effort).
 * <p>
 * Everything runs on one serial executor per conversation, so the history calls never block a
 * transport thread and happen in the order the events came.
 */
final class Delivery {

    private static final System.Logger LOG = System.getLogger(Delivery.class.getName());

    /**
     * {@code -Dp2pchat.delivery.acks=false}: treat our client as the web app (no sequence numbers, no
     * acknowledgements), so a benchmark can measure the unacknowledged rate next to the
     * acknowledged one. Both sides of a measurement set it.
     */
    static final boolean ACKS = !"false".equalsIgnoreCase(System.getProperty("p2pchat.delivery.acks", "true"));

    /**
     * How long to wait for the peer's resume point before sending from our first unacknowledged
     * message: a lost first acknowledgement must not stall the conversation, and sending again what
     * the peer has is safe (it drops repeats and acknowledges them).
     */
    static final long RESUME_WAIT_MS = 3_000;
    static final String WEB_APP_NOTICE = "Delivery to the web app is best effort: its app does not confirm receipt.";
    static final String ACKS_OFF_NOTICE = "Delivery is best effort: acknowledgements are turned off "
            + "(p2pchat.delivery.acks=false).";

    private final ChatConversation conversation;
    private final DefaultChatClient client;
    private final MessageHistory history;
    private final SerialExecutor serial;
    /** Whether the peer's client acknowledges; completes when its first session says. */
    private final CompletableFuture<Boolean> acknowledging = new CompletableFuture<>();
    /** The chain of {@link #send}s, so that they are stored in the order they were made. */
    private CompletableFuture<?> sends = CompletableFuture.completedFuture(null);
    /** Ids of the messages this conversation sent (others come from the history: sent again). */
    private final Set<String> sentHere = ConcurrentHashMap.newKeySet();

    /** The history's id for this conversation, once the peer is identified. */
    private volatile String historyId;

    // Only on the serial executor:
    /** Our sequenced messages the peer has not acknowledged, by sequence number. */
    private final TreeMap<Long, StoredMessage> unacknowledged = new TreeMap<>();
    /** Our messages to a peer that does not acknowledge, waiting for a connection, oldest first. */
    private final ArrayDeque<StoredMessage> waiting = new ArrayDeque<>();
    /** The connected session messages go out on; null while there is none. */
    private PeerSession session;
    /** The peer's first acknowledgement on {@link #session}, -1 until it came. */
    private long resume = -1;
    /** The peer's first acknowledgement on each session, also one that came before the session was ours. */
    private final Map<PeerSession, Long> firstAcks = new WeakHashMap<>();
    /** The highest sequence number the peer acknowledged, also before it was identified; -1 until one came. */
    private long acknowledgedUpTo = -1;
    /** The highest sequence number handed to {@link #session}. */
    private long handedUpTo;
    /** The sessions a sequenced message came on. */
    private final Map<PeerSession, Boolean> numberedOn = new WeakHashMap<>();
    /** The highest sequence number stored from the peer, -1 until read from the history. */
    private long receivedUpTo = -1;
    private boolean noticeShown;
    private boolean ended;

    Delivery(ChatConversation conversation) {
        this.conversation = conversation;
        this.client = conversation.client();
        this.history = client.history();
        this.serial = new SerialExecutor(client.work());
    }

    // ---- the conversation's life ----------------------------------------------------------------

    String historyId() {
        return historyId;
    }

    /**
     * The peer's proof was checked: the conversation's place in the history is the one of its key
     * (every earlier conversation with it), or a new one for a peer that proves nothing. What earlier
     * conversations with it left unacknowledged goes first.
     */
    synchronized void identified(Optional<PublicIdentity> identity, String name) {
        if (historyId != null) {
            return;
        }
        String id = identity.map(i -> history.conversationWith(i.key(), name).id())
                .orElseGet(() -> history.newUnverifiedConversation(name).id());
        historyId = id;
        serial.execute(() -> {
            if (acknowledgedUpTo > 0) {
                markDelivered(acknowledgedUpTo); // the peer said what it has before we knew who it is
            }
            for (StoredMessage m : history.unacknowledged(id)) {
                unacknowledged.put(m.seq(), m);
            }
            pump(); // the session may be up and the peer's resume point known already
        });
        client.list().changed(id);
    }

    /** The peer announced its name: the history keeps the newest. */
    void named(String name) {
        String id = historyId;
        if (id != null && name != null && !name.isBlank()) {
            try {
                history.rename(id, name);
            } catch (IllegalArgumentException deleted) {
                return; // the person deleted the conversation meanwhile
            }
            client.list().changed(id);
        }
    }

    /** {@code s} is the conversation's connected session now (the first, or a reconnection's). */
    void connected(PeerSession s) {
        serial.execute(() -> {
            if (s == session) {
                return; // the same session back from a short disconnection: nothing was lost on it
            }
            session = s;
            resume = firstAcks.getOrDefault(s, -1L);
            handedUpTo = Math.max(resume, 0);
            pump();
        });
        s.peerClient().whenComplete((name, error) -> {
            if (error == null) {
                serial.execute(() -> introduced(s, name));
            }
        });
    }

    /** The connection was lost: what is typed now waits for the next session. */
    void disconnected() {
        serial.execute(() -> session = null);
    }

    /** The peer named its client on {@code s}: ours acknowledges (we tell it what we have), the web app does not. */
    private void introduced(PeerSession s, String peerClient) {
        boolean acks = ACKS && ChatChannel.isOurClient(peerClient);
        acknowledging.complete(acks);
        if (s != session || ended) {
            return;
        }
        if (acks) {
            receivedUpTo = historyId == null ? -1 : history.receivedSeq(historyId);
            s.acknowledge(Math.max(receivedUpTo, 0));
            pump(); // the peer's resume point may have come before we knew its client
            client.after(RESUME_WAIT_MS).execute(() -> serial.execute(() -> resumeWithoutAnswer(s)));
        } else {
            if (!noticeShown) {
                noticeShown = true;
                client.post(new ClientEvent.Notice(conversation,
                        ChatChannel.isOurClient(peerClient) ? ACKS_OFF_NOTICE : WEB_APP_NOTICE));
            }
            pump();
        }
    }

    /** The peer did not say what it has on {@code s}: resume from our first unacknowledged message. */
    private void resumeWithoutAnswer(PeerSession s) {
        if (s != session || ended || resume >= 0) {
            return;
        }
        resume = unacknowledged.isEmpty() ? 0 : unacknowledged.firstKey() - 1;
        handedUpTo = resume;
        LOG.log(Level.WARNING, "no resume point from the peer within {0} ms: sending from seq {1}", RESUME_WAIT_MS,
                resume + 1);
        pump();
    }

    /** The conversation ended: what the peer did not acknowledge is not delivered (sent again by a later one). */
    void ended() {
        acknowledging.completeExceptionally(new SessionException("Not sent: the conversation has ended."));
        serial.execute(() -> {
            ended = true;
            session = null;
            List<StoredMessage> left = new ArrayList<>(unacknowledged.values());
            left.addAll(waiting);
            waiting.clear();
            boolean changed = false;
            for (StoredMessage m : left) {
                if (m.state() != DeliveryState.NOT_DELIVERED) {
                    changeState(m, DeliveryState.NOT_DELIVERED);
                    changed = true;
                }
            }
            if (changed) {
                client.list().changed(historyId);
            }
        });
    }

    /** Runs {@code action} after everything received so far was stored and shown. */
    void afterwards(Runnable action) {
        serial.execute(action);
    }

    // ---- sending --------------------------------------------------------------------------------

    /** Stores a message of ours and sends it once the peer can take it; completes once stored. */
    CompletableFuture<ChatMessage> send(String text) {
        ChatMessage m = ChatMessage.create(client.displayName(), text);
        // The sequence number and the client's name travel with it: the bound leaves room for both.
        int bytes = ChatCodec.encode(m.withSeq(ChatCodec.MAX_SEQ), ChatChannel.CLIENT_NAME)
                .getBytes(StandardCharsets.UTF_8).length;
        long limit = client.maxMessageBytes();
        if (bytes > limit) {
            return CompletableFuture.failedFuture(new SessionException("Not sent: the message is " + bytes
                    + " bytes, over the limit of " + limit + " bytes."));
        }
        if (conversation.isEnded()) {
            return CompletableFuture.failedFuture(new SessionException("Not sent: the conversation has ended."));
        }
        if (conversation.peerIsWebApp() && conversation.connectionState() != ConnectionState.CONNECTED) {
            return CompletableFuture.failedFuture(new SessionException(
                    "Not sent: not connected, and the web app cannot be sent messages later."));
        }
        synchronized (this) {
            CompletableFuture<ChatMessage> stored = sends.exceptionally(error -> null)
                    .thenCompose(previous -> acknowledging)
                    .thenApplyAsync(acks -> store(m, acks), serial);
            sends = stored;
            return stored;
        }
    }

    private ChatMessage store(ChatMessage m, boolean acks) {
        if (ended || historyId == null) {
            throw new IllegalStateException("Not sent: the conversation has ended.");
        }
        StoredMessage stored = history.addOutgoing(historyId, m.id(), m.sender(), m.content(), m.timestamp(), acks);
        ChatMessage sequenced = m.withSeq(stored.seq());
        sentHere.add(m.id());
        client.post(new ClientEvent.MessageSent(conversation, sequenced));
        client.list().changed(historyId);
        if (stored.seq() > 0) {
            unacknowledged.put(stored.seq(), stored);
        } else {
            waiting.add(stored);
        }
        pump();
        return sequenced;
    }

    /** Sends one of our messages that was not delivered again. */
    CompletableFuture<Void> sendAgain(String messageId) {
        return CompletableFuture.runAsync(() -> {
            if (historyId == null || ended) {
                throw new IllegalStateException("The conversation is not connected.");
            }
            StoredMessage m = history.message(historyId, messageId)
                    .orElseThrow(() -> new IllegalArgumentException("No such message: " + messageId));
            if (m.state() == DeliveryState.DELIVERED || m.state() == DeliveryState.RECEIVED) {
                return;
            }
            if (m.state() == DeliveryState.NOT_DELIVERED) {
                m = changeState(m, DeliveryState.SENDING);
            }
            if (m.seq() > 0) {
                unacknowledged.put(m.seq(), m);
            } else if (!conversation.peerIsWebApp() && ACKS) {
                throw new IllegalStateException("This message was sent to the web app: it cannot be sent again here.");
            } else if (waiting.stream().noneMatch(w -> w.messageId().equals(messageId))) {
                waiting.add(m);
            }
            pump();
        }, serial);
    }

    /** Hands the session what may go now: from the peer's resume point on, in order. */
    private void pump() {
        PeerSession s = session;
        if (s == null || ended || !acknowledging.isDone() || acknowledging.isCompletedExceptionally()) {
            return; // not connected, or the peer's client not known (or never will be: ended)
        }
        if (acknowledging.join()) {
            if (resume < 0) {
                return; // the peer has not said what it has yet
            }
            for (StoredMessage m : List.copyOf(unacknowledged.tailMap(handedUpTo, false).values())) {
                hand(s, m);
                handedUpTo = m.seq();
            }
        } else {
            while (!waiting.isEmpty()) {
                hand(s, waiting.poll());
            }
        }
    }

    private void hand(PeerSession s, StoredMessage m) {
        ChatMessage wire = new ChatMessage(m.messageId(), m.text(), m.sender(), m.timestamp(), m.seq());
        s.send(wire).whenComplete((ok, error) -> serial.execute(() -> handed(m, error)));
    }

    /** The session took {@code m} (or could not: a sequenced one goes again on the next session). */
    private void handed(StoredMessage m, Throwable error) {
        if (m.seq() > 0) {
            StoredMessage now = unacknowledged.get(m.seq());
            if (error == null && now != null && now.state() != DeliveryState.SENT) {
                unacknowledged.put(m.seq(), changeState(now, DeliveryState.SENT));
            }
        } else if (error == null) {
            changeState(m, DeliveryState.SENT);
        } else if (!ended) {
            changeState(m, DeliveryState.NOT_DELIVERED);
            client.post(new ClientEvent.Notice(conversation, DefaultChatClient.message(error)));
        }
    }

    // ---- receiving ------------------------------------------------------------------------------

    /** The peer acknowledged everything up to {@code seq}; its first acknowledgement on a session is where to resume. */
    void acknowledged(PeerSession s, long seq) {
        serial.execute(() -> {
            firstAcks.putIfAbsent(s, seq);
            acknowledgedUpTo = Math.max(acknowledgedUpTo, seq);
            if (historyId != null) {
                markDelivered(seq);
            } // else: kept in acknowledgedUpTo until we know who the peer is (and so which messages)
            resumeAt(s, seq);
        });
    }

    /** Our messages up to {@code seq} are delivered: stored so, shown so, not sent again. */
    private void markDelivered(long seq) {
        List<StoredMessage> renumbered = history.continueNumberingAfter(historyId, seq);
        if (!renumbered.isEmpty()) {
            // The peer has more of ours than this history numbered (it was made again): ours go on after it.
            LOG.log(Level.WARNING, "the peer has our messages up to {0}, beyond this history's numbering: "
                    + "{1} message(s) numbered again after it", seq, renumbered.size());
            unacknowledged.clear();
            renumbered.forEach(m -> unacknowledged.put(m.seq(), m));
        }
        List<StoredMessage> delivered = history.acknowledge(historyId, seq);
        for (StoredMessage m : delivered) {
            StoredMessage before = unacknowledged.get(m.seq());
            if (before != null && before.state() != DeliveryState.SENT) {
                post(m, DeliveryState.SENT); // it was handed, or it could not be acknowledged
            }
            post(m, DeliveryState.DELIVERED);
        }
        unacknowledged.headMap(seq, true).clear();
        if (!delivered.isEmpty()) {
            client.list().changed(historyId);
        }
    }

    /** The peer's first acknowledgement on the current session is where sending resumes. */
    private void resumeAt(PeerSession s, long seq) {
        if (s == session && resume < 0) {
            resume = seq;
            handedUpTo = seq;
            pump();
        }
    }

    /** A message from the peer: stored, acknowledged, shown; a repeat is acknowledged again and not shown. */
    void received(PeerSession s, ChatMessage m) {
        serial.execute(() -> {
            if (historyId == null) {
                client.post(new ClientEvent.MessageReceived(conversation, m));
                return;
            }
            if (m.isSystemNotice()) {
                history.addNotice(historyId, m.content(), m.timestamp());
                client.post(new ClientEvent.MessageReceived(conversation, m));
                client.list().changed(historyId);
                return;
            }
            if (m.seq() > 0 && m.seq() > receivedUpTo(m.seq()) + 1 && numberedOn.containsKey(s)) {
                // One is missing in an ordered, reliable session: taking this one would acknowledge the missing
                // one too. The sender sends again from what we have once the next session begins. (A session's
                // first may skip some: the sender starts where it thinks we are, e.g. after this conversation
                // was deleted here.)
                LOG.log(Level.WARNING, "dropped message {0}: seq {1} after {2}", m.id(), m.seq(), receivedUpTo);
                return;
            }
            if (m.seq() > 0) {
                numberedOn.put(s, Boolean.TRUE);
            }
            Optional<StoredMessage> stored = history.addIncoming(historyId, m.id(), m.seq(), m.sender(), m.content(),
                    m.timestamp());
            if (m.seq() > 0) {
                receivedUpTo = Math.max(receivedUpTo, m.seq());
                if (ACKS) {
                    s.acknowledge(m.seq());
                }
            }
            if (stored.isPresent()) {
                client.post(new ClientEvent.MessageReceived(conversation, m));
                client.list().changed(historyId);
            } else {
                LOG.log(Level.DEBUG, "dropped a repeated message {0} (seq {1})", m.id(), m.seq());
            }
        });
    }

    /** {@link #receivedUpTo}, read again from the history when {@code seq} seems to skip some (stored elsewhere). */
    private long receivedUpTo(long seq) {
        if (receivedUpTo < 0 || seq > receivedUpTo + 1) {
            receivedUpTo = history.receivedSeq(historyId);
        }
        return receivedUpTo;
    }

    // ---- states ---------------------------------------------------------------------------------

    private StoredMessage changeState(StoredMessage m, DeliveryState state) {
        history.setState(historyId, m.messageId(), state);
        post(m, state);
        return new StoredMessage(m.row(), m.conversationId(), m.messageId(), m.direction(), m.seq(), m.sender(),
                m.text(), m.timestamp(), state);
    }

    private void post(StoredMessage m, DeliveryState state) {
        client.post(sentHere.contains(m.messageId())
                ? new ClientEvent.DeliveryChanged(conversation, m.messageId(), state)
                : new ClientEvent.HistoryDeliveryChanged(historyId, m.messageId(), state));
    }

    /** Runs tasks one at a time, in order, on a shared pool; a failing task is logged and the next runs. */
    private static final class SerialExecutor implements Executor {
        private final Executor pool;
        private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
        private boolean running;

        SerialExecutor(Executor pool) {
            this.pool = pool;
        }

        @Override
        public synchronized void execute(Runnable task) {
            tasks.add(task);
            if (!running) {
                running = true;
                pool.execute(this::drain);
            }
        }

        private void drain() {
            while (true) {
                Runnable next;
                synchronized (this) {
                    next = tasks.poll();
                    if (next == null) {
                        running = false;
                        return;
                    }
                }
                try {
                    next.run();
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "delivery: a step failed", e);
                }
            }
        }
    }
}
