package org.p2pchat.files.bt.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.p2pchat.core.files.TransferStatus;
import org.p2pchat.core.files.TransferStatus.Direction;
import org.p2pchat.core.files.TransferStatus.State;

/**
 * The file-transfer protocol as a state machine: the transfers and their states, the control
 * messages of {@link Control} that come from peers and the user's decisions in, the messages to
 * peers and the {@link Effects} (start or stop the bytes, save and tell) out. It has no threads,
 * no WebRTC and no BitTorrent: the caller runs it on one thread (the service's engine thread),
 * and a peer's message that does not fit a transfer's state changes nothing.
 */
public final class TransferProtocol {

    static final int MAX_FILES_PER_OFFER = 1000;
    /** Attach messages kept while a session's peer is not verified yet; more are not a real peer's. */
    static final int MAX_HELD_ATTACHES = 1000;

    /** What the protocol makes happen outside itself; called on the protocol's thread. */
    public interface Effects {
        /** Start moving the current file of {@code t} (seed or download), unless it moves already. */
        void start(Transfer t);

        /** Stop moving the bytes of {@code t}; the files stay as they are. */
        void stop(Transfer t);

        /** {@code t} changed: save the list and tell the listeners. */
        void changed(Transfer t);

        /** Why an offered file's torrent cannot be used (not valid, not that file), or null. */
        default String torrentProblem(Control.FileInfo file, String name) {
            return TransferRunner.torrentProblem(file, name);
        }

        /** Receiver: claim the names of {@code t}'s files in {@code directory} (see {@link TransferFiles}). */
        default void claimTargets(Transfer t, Path directory) throws IOException {
            TransferFiles.claimTargets(t, directory);
        }

        /** Receiver: a transfer ended unfinished: remove its partial files. */
        default void discardUnfinished(Transfer t) {
            TransferFiles.discardUnfinished(t);
        }

        /** Sender: the receiver's engine asks how to connect ({@code direct-ask}). */
        void directAsk(ControlSession session, Transfer t, Control.Message ask);

        /** The name we introduce ourselves by on {@code session}. */
        String ourName(ControlSession session);
    }

    private final Map<String, Transfer> transfers = new ConcurrentHashMap<>();
    private final Effects effects;
    private final ResumeHandshake resume = new ResumeHandshake(this);
    /** Our identity key; resume proofs name it. */
    private final Supplier<String> selfKey;

    public TransferProtocol(Effects effects, Supplier<String> selfKey) {
        this.effects = effects;
        this.selfKey = selfKey;
    }

    // ---- the transfers --------------------------------------------------------------------------

    /** The transfer with this id, or null. Safe from any thread. */
    public Transfer transfer(String id) {
        return id == null ? null : transfers.get(id);
    }

    /** The status of a transfer now, or null if there is none with this id. */
    public TransferStatus status(String id) {
        Transfer t = transfer(id);
        return t == null ? null : t.status(System.nanoTime());
    }

    /** Every transfer. Safe from any thread. */
    public Collection<Transfer> transfers() {
        return transfers.values();
    }

    void add(Transfer t) {
        transfers.put(t.id(), t);
    }

    void forget(String id) {
        transfers.remove(id);
    }

    private Transfer require(String id) {
        Transfer t = transfer(id);
        if (t == null) {
            throw new IllegalArgumentException("No transfer " + id);
        }
        return t;
    }

    // ---- sessions -------------------------------------------------------------------------------

    /** Whether a transfer waits for its peer to come back, so a new session should say hello. */
    public boolean waitsForPeer() {
        return transfers.values().stream().anyMatch(t -> t.link == null && attachable(t));
    }

    static boolean attachable(Transfer t) {
        return !t.state().isFinal()
                || (t.direction == Direction.RECEIVING && t.state() == State.DONE && !t.record.receiptSent);
    }

    public void sendHello(ControlSession link) {
        if (link.helloSent) {
            return;
        }
        Control.Message m = new Control.Message("hello");
        m.v = Control.VERSION;
        m.name = effects.ourName(link);
        m.nonce = link.nonce;
        try {
            link.send(m);
            link.helloSent = true;
        } catch (IOException e) {
            // the session went away; its next connection tries again
        }
    }

    /**
     * The session's peer proved {@code key}. Transfers begun on it before we knew are bound to
     * that key; the resume proofs that waited for it are answered now.
     */
    public void identified(ControlSession link, String key) {
        if (link.peerKey != null) {
            if (!link.peerKey.equals(key)) {
                // One session, one peer: a second, different key is a client bug or an attack; trust neither.
                link.peerKey = "";
                link.heldAttaches.clear();
            }
            return;
        }
        link.peerKey = key;
        for (Transfer t : transfers.values()) {
            if (t.link == link && t.record.peerKey == null) {
                t.record.peerKey = key;
            }
        }
        if (link.peerNonce != null) {
            resume.sendAttaches(link);
        }
        List<Control.Message> held = List.copyOf(link.heldAttaches);
        link.heldAttaches.clear();
        for (Control.Message m : held) {
            Transfer t = transfers.get(m.id);
            if (t != null) {
                resume.attach(link, t, m);
            }
        }
    }

    /** A session ended; what ran over it waits for the peer to come back. */
    public void sessionClosed(ControlSession link) {
        for (Transfer t : transfers.values()) {
            if (t.link != link) {
                continue;
            }
            t.link = null;
            if (t.state() == State.RUNNING) {
                effects.stop(t);
                t.state(State.INTERRUPTED, null);
                effects.changed(t);
            }
        }
    }

    // ---- the user's decisions -------------------------------------------------------------------

    /**
     * Sender: offers a new transfer of ours ({@link Transfer#offering}) on {@code link}; false if
     * the offer could not be sent (the transfer failed).
     */
    public boolean offer(ControlSession link, Transfer t) {
        TransferStore.Record r = t.record;
        t.link = link;
        r.peerName = link.peerName;
        r.peerKey = link.verifiedKey();
        transfers.put(r.id, t);
        Control.Message m = PeerOffers.offer(r, effects.ourName(link));
        boolean sent;
        try {
            sendHello(link);
            link.send(m);
            sent = true;
        } catch (IOException e) {
            t.state(State.FAILED, "Could not send the offer: " + e.getMessage());
            sent = false;
        }
        effects.changed(t);
        return sent;
    }

    /** Sender: the offer got no answer in time: the peer's app has no file transfer. */
    public void offerUnanswered(Transfer t) {
        ControlSession l = t.link;
        if (!t.offerAnswered && t.state() == State.WAITING_FOR_PEER && l != null) {
            l.peerLacksFiles = true;
            t.state(State.FAILED, peer(t) + "'s app did not answer the offer; it may not be able to receive files.");
            effects.changed(t);
        }
    }

    /** Receiver: accepts into {@code directory}. */
    public void accept(String transferId, Path directory) throws IOException {
        Transfer t = require(transferId);
        if (t.direction != Direction.RECEIVING || t.state() != State.OFFERED) {
            throw new IllegalStateException("This transfer is not waiting to be accepted.");
        }
        effects.claimTargets(t, directory);
        ControlSession link = t.link;
        if (link != null && link.isConnected()) {
            send(t, new Control.Message("accept").id(t.id()));
            t.state(State.RUNNING, null);
            effects.start(t);
        } else {
            t.state(State.INTERRUPTED, null); // accepted; the peer learns it when it is back
        }
        effects.changed(t);
    }

    public void decline(String transferId) {
        Transfer t = require(transferId);
        if (t.direction == Direction.RECEIVING && t.state() == State.OFFERED) {
            send(t, new Control.Message("decline").id(t.id()));
            t.state(State.DECLINED, null);
            effects.changed(t);
        }
    }

    public void pause(String transferId) {
        Transfer t = require(transferId);
        if (t.state() == State.RUNNING || t.state() == State.INTERRUPTED) {
            send(t, new Control.Message("pause").id(t.id()));
            pauseHere(t);
        }
    }

    public void resume(String transferId) {
        Transfer t = require(transferId);
        if (t.state() == State.PAUSED) {
            send(t, new Control.Message("resume").id(t.id()));
            resumeHere(t);
        }
    }

    public void cancel(String transferId) {
        Transfer t = require(transferId);
        if (!t.state().isFinal()) {
            send(t, new Control.Message("cancel").id(t.id()));
            end(t, State.CANCELLED, null);
        }
    }

    private void pauseHere(Transfer t) {
        t.doneBytes(); // counts what Bt verified up to now, before its client stops
        effects.stop(t);
        t.state(State.PAUSED, null);
        if (t.direction == Direction.RECEIVING) {
            reportProgress(t); // the sender shows where it stopped, not its last report of a while ago
        }
        effects.changed(t);
    }

    private void resumeHere(Transfer t) {
        ControlSession link = t.link;
        if (link == null || !link.isConnected()) {
            t.state(State.INTERRUPTED, null);
        } else {
            t.state(State.RUNNING, null);
            effects.start(t);
        }
        effects.changed(t);
    }

    // ---- what the engine reports -----------------------------------------------------------------

    /** Receiver: file {@code index} of {@code t} was checked: {@code problem} null and its final name, or why not. */
    void fileChecked(Transfer t, int index, String problem, Path published) {
        TransferStore.FileRecord f = t.record.files.get(index);
        if (problem != null) {
            failBoth(t, f.name + " arrived damaged (" + problem + ").");
            return;
        }
        f.done = true;
        f.target = published.toString();
        if (index + 1 < t.record.files.size()) {
            t.record.current = index + 1;
            Control.Message next = new Control.Message("next").id(t.id());
            next.index = index + 1;
            send(t, next);
            ControlSession link = t.link;
            if (link != null && link.isConnected()) {
                t.state(State.RUNNING, null);
                effects.start(t);
            } else {
                t.state(State.INTERRUPTED, null);
            }
            effects.changed(t);
        } else {
            t.state(State.DONE, null);
            sendReceipt(t);
            effects.changed(t);
        }
    }

    /** Receiver, while running: how far we are, for the sender's display. */
    void reportProgress(Transfer t) {
        Control.Message m = new Control.Message("progress").id(t.id());
        m.done = t.doneBytes();
        send(t, m);
    }

    /** The transfer cannot go on: both sides show {@code problem}. */
    void failBoth(Transfer t, String problem) {
        Control.Message m = new Control.Message("failed").id(t.id());
        m.problem = problem;
        send(t, m);
        end(t, State.FAILED, problem);
    }

    /** Final state: stops everything; a receiver's unfinished files are removed. */
    void end(Transfer t, State state, String problem) {
        effects.stop(t);
        if (t.answerTimeout != null) {
            t.answerTimeout.cancel(false);
        }
        if (t.direction == Direction.RECEIVING && state != State.DONE) {
            effects.discardUnfinished(t);
        }
        t.state(state, problem);
        effects.changed(t);
    }

    void sendReceipt(Transfer t) {
        ControlSession link = t.link;
        if (link == null || link.closed) {
            return;
        }
        Control.Message m = new Control.Message("receipt").id(t.id());
        m.files = PeerOffers.files(t.record, false);
        try {
            link.send(m);
            t.record.receiptSent = true;
            effects.changed(t);
        } catch (IOException e) {
            // sent when the peer is back
        }
    }

    /** Best effort: a message lost with its session is made up for by the attach on reconnect. */
    static void send(Transfer t, Control.Message m) {
        ControlSession link = t.link;
        if (link != null && !link.closed) {
            try {
                link.send(m);
            } catch (IOException e) {
                // the session is going; it closes next
            }
        }
    }

    static String peer(Transfer t) {
        return t.record.peerName == null ? "Your peer" : t.record.peerName;
    }

    // ---- the peer's messages --------------------------------------------------------------------

    /** One message from the peer of {@code link}; one that fits no transfer's state is ignored. */
    public void received(ControlSession link, Control.Message m) {
        Control.trace(link, "<- " + m.t + " " + m.id + " " + m.state);
        if (link.closed || m.t == null) {
            return;
        }
        if ("hello".equals(m.t)) {
            hello(link, m);
            return;
        }
        if (m.id == null) {
            return;
        }
        Transfer t = transfers.get(m.id);
        if ("offer".equals(m.t)) {
            if (t == null) {
                PeerOffers.offered(this, link, m);
            }
            return;
        }
        if (t == null) {
            return; // not ours: say nothing (ids of other peers' transfers must not be confirmed)
        }
        if ("attach".equals(m.t)) {
            resume.attach(link, t, m);
            return;
        }
        if ("attached".equals(m.t)) {
            resume.attached(link, t, m);
            return;
        }
        if (t.link != link) {
            return; // only the bound session may steer a transfer
        }
        switch (m.t) {
            case "offered" -> t.offerAnswered = true;
            case "accept" -> {
                if (t.direction == Direction.SENDING && t.state() == State.WAITING_FOR_PEER) {
                    t.offerAnswered = true;
                    t.state(State.RUNNING, null);
                    effects.start(t);
                    effects.changed(t);
                }
            }
            case "decline" -> {
                if (t.direction == Direction.SENDING && t.state() == State.WAITING_FOR_PEER) {
                    end(t, State.DECLINED, null);
                }
            }
            case "pause" -> {
                if (t.state() == State.RUNNING || t.state() == State.INTERRUPTED) {
                    pauseHere(t);
                }
            }
            case "resume" -> {
                if (t.state() == State.PAUSED) {
                    resumeHere(t);
                }
            }
            case "cancel" -> {
                if (!t.state().isFinal()) {
                    end(t, State.CANCELLED, null);
                }
            }
            case "progress" -> {
                if (t.direction == Direction.SENDING && m.done != null) {
                    t.peerDone = m.done;
                    if (t.state() != State.RUNNING) { // the report of a pause: kept for a restart, shown now
                        effects.changed(t);
                    }
                }
            }
            case "next" -> {
                if (t.direction == Direction.SENDING && m.index != null && m.index > t.record.current
                        && m.index < t.record.files.size()) {
                    effects.stop(t);
                    for (int i = 0; i < m.index; i++) {
                        t.record.files.get(i).done = true;
                    }
                    t.record.current = m.index;
                    if (t.state() == State.RUNNING) {
                        effects.start(t);
                    }
                    effects.changed(t);
                }
            }
            case "direct-ask" -> effects.directAsk(link, t, m);
            case "direct-offer" -> {
                CompletableFuture<Control.Message> waiting = m.request == null ? null : t.directAnswers.remove(m.request);
                if (waiting != null) {
                    waiting.complete(m);
                }
            }
            case "receipt" -> {
                if (t.direction == Direction.SENDING && !t.state().isFinal()) {
                    t.record.files.forEach(f -> f.done = true);
                    end(t, State.DONE, null);
                }
            }
            case "failed" -> {
                if (!t.state().isFinal()) {
                    end(t, State.FAILED, m.problem == null ? peer(t) + "'s side failed." : Control.clip(m.problem));
                }
            }
            default -> {
                // a newer peer's message: ignore
            }
        }
    }

    private void hello(ControlSession link, Control.Message m) {
        if (m.v == null || m.v != Control.VERSION || m.nonce == null || !ControlSession.isNonce(m.nonce)
                || (link.peerNonce != null && !link.peerNonce.equals(m.nonce))) {
            return; // a nonce changed within a session would let old proofs count again
        }
        boolean first = link.peerNonce == null;
        link.peerNonce = m.nonce;
        link.peerName = Control.peerName(m.name);
        sendHello(link);
        if (first && link.peerKey != null) {
            resume.sendAttaches(link);
        } // else: once the session's peer is verified (identified)
    }

    Effects effects() {
        return effects;
    }

    String selfKey() {
        return selfKey.get();
    }
}
