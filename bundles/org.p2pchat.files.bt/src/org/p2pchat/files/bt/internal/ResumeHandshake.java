package org.p2pchat.files.bt.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.p2pchat.core.files.TransferStatus.Direction;
import org.p2pchat.core.files.TransferStatus.State;

/**
 * How a transfer resumes on a new session (part of {@link TransferProtocol}): the receiver sends
 * {@code attach} with a proof that it holds the transfer's token, the sender answers
 * {@code attached} with its own proof and state. Only the peer with the identity key the transfer
 * was made with learns that it exists.
 */
final class ResumeHandshake {

    /** The direction of a resume proof: the receiver's {@code attach}, the sender's {@code attached}. */
    private static final String ATTACH = "receiver attaches";
    private static final String ATTACHED = "sender attached";

    private final TransferProtocol protocol;

    ResumeHandshake(TransferProtocol protocol) {
        this.protocol = protocol;
    }

    /**
     * Receiver: our transfers that wait for this session's peer, each with a proof that we hold
     * its token. Only transfers with the key this session's peer proved: nobody else learns they exist.
     */
    void sendAttaches(ControlSession link) {
        String peerKey = link.verifiedKey();
        if (link.attachesSent || peerKey == null) {
            return;
        }
        link.attachesSent = true;
        for (Transfer t : protocol.transfers()) {
            if (t.direction == Direction.RECEIVING && t.link == null && TransferProtocol.attachable(t)
                    && peerKey.equals(t.record.peerKey)) {
                Control.Message a = new Control.Message("attach").id(t.id());
                a.proof = proof(ATTACH, t.token(), peerKey, protocol.selfKey(), link.peerNonce, link.nonce);
                a.state = t.state().name();
                a.index = t.record.current;
                try {
                    link.send(a);
                } catch (IOException e) {
                    return;
                }
            }
        }
    }

    /** Sender: the receiver of {@code t} is back on a new session. */
    void attach(ControlSession link, Transfer t, Control.Message m) {
        if (t.direction != Direction.SENDING || m.proof == null || link.peerNonce == null) {
            return;
        }
        if (link.peerKey == null) {
            // The attach may arrive before the client told us who this session's peer is.
            if (link.heldAttaches.size() < TransferProtocol.MAX_HELD_ATTACHES) {
                link.heldAttaches.add(m);
            }
            return;
        }
        String peerKey = link.verifiedKey();
        if (peerKey == null || !peerKey.equals(t.record.peerKey) || !same(m.proof,
                proof(ATTACH, t.token(), protocol.selfKey(), peerKey, link.nonce, link.peerNonce))) {
            return; // another peer's transfer, or a proof made for another session: say nothing
        }
        if (t.link != null && t.link != link) {
            protocol.effects().stop(t);
        }
        t.link = link;
        t.offerAnswered = true;
        if (link.peerName != null) {
            t.record.peerName = link.peerName;
        }
        Control.Message reply = new Control.Message("attached").id(t.id());
        reply.proof = proof(ATTACHED, t.token(), protocol.selfKey(), peerKey, link.nonce, link.peerNonce);
        State receiver = parseState(m.state);
        if (t.state().isFinal()) {
            reply.state = t.state().name();
            reply.problem = t.record.problem;
        } else if (receiver == State.OFFERED) {
            reply.state = State.WAITING_FOR_PEER.name();
        } else if (receiver == State.DONE) {
            reply.state = State.RUNNING.name(); // the receipt follows
        } else if (t.state() == State.PAUSED || receiver == State.PAUSED) {
            protocol.effects().stop(t);
            t.state(State.PAUSED, null);
            reply.state = State.PAUSED.name();
        } else {
            if (m.index != null && m.index > t.record.current && m.index < t.record.files.size()) {
                t.record.current = m.index;
            }
            protocol.effects().stop(t);
            t.state(State.RUNNING, null);
            protocol.effects().start(t);
            reply.state = State.RUNNING.name();
        }
        try {
            link.send(reply);
        } catch (IOException e) {
            return;
        }
        protocol.effects().changed(t);
    }

    /** Receiver: the sender took us back; it proves it knows the token, as we did. */
    void attached(ControlSession link, Transfer t, Control.Message m) {
        String peerKey = link.verifiedKey();
        if (t.direction != Direction.RECEIVING || (t.link != null && t.link != link) || m.proof == null
                || peerKey == null || !peerKey.equals(t.record.peerKey) || link.peerNonce == null
                || !same(m.proof, proof(ATTACHED, t.token(), peerKey, protocol.selfKey(), link.peerNonce, link.nonce))) {
            return;
        }
        t.link = link;
        if (link.peerName != null) {
            t.record.peerName = link.peerName;
        }
        State sender = parseState(m.state);
        if (t.state() == State.DONE) {
            protocol.sendReceipt(t);
        } else if (sender != null && sender.isFinal()) {
            protocol.end(t, sender, m.problem == null ? null : Control.clip(m.problem));
        } else if (sender == State.PAUSED) {
            protocol.effects().stop(t);
            t.state(State.PAUSED, null);
            protocol.reportProgress(t); // a sender that restarted shows where it stands
            protocol.effects().changed(t);
        } else if (sender == State.RUNNING && (t.state() == State.INTERRUPTED || t.state() == State.RUNNING)) {
            if (t.record.files.stream().allMatch(f -> f.target != null)) {
                protocol.effects().stop(t);
                t.state(State.RUNNING, null);
                protocol.effects().start(t);
                protocol.effects().changed(t);
            }
        }
    }

    private static boolean same(String proof, String expected) {
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                proof.getBytes(StandardCharsets.US_ASCII));
    }

    private static State parseState(String s) {
        try {
            return s == null ? null : State.valueOf(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * A resume proof: HMAC(token) over the direction, both identity keys and both nonces of the
     * session, so it counts for this session between these two peers only and cannot be relayed
     * by a third peer, replayed on another session, or reflected back.
     */
    static String proof(String direction, byte[] token, String senderKey, String receiverKey, String senderNonce,
            String receiverNonce) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(token, "HmacSHA256"));
            // Keys and nonces are base64 (checked), so a line break cannot shift one field into another.
            String bound = String.join("\n", "p2pchat-files resume v2", direction, senderKey, receiverKey, senderNonce,
                    receiverNonce);
            return Base64.getEncoder().encodeToString(mac.doFinal(bound.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
