package org.p2pchat.signaling.dht.tests;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.p2pchat.core.PeerSession;
import org.p2pchat.core.SessionConfig;
import org.p2pchat.core.SessionDescription;
import org.p2pchat.core.SessionException;
import org.p2pchat.core.signaling.InboundOffer;
import org.p2pchat.core.signaling.OutboundExchange;
import org.p2pchat.core.signaling.PeerAddress;
import org.p2pchat.core.signaling.PeerAnswer;
import org.p2pchat.core.signaling.SignedDescription;

/**
 * The part of the client layer the tests play: real sessions of the real transport, our
 * descriptions signed with the member's identity; no proof is checked here (the client layer's
 * job, tested there).
 */
final class Negotiation {

    private static final long T = Await.SECONDS;

    private Negotiation() {
    }

    /** One side of a session made through the provider. */
    record Side(PeerSession session, PeerAddress peer, SignedDescription local, SignedDescription remote,
            SessionEvents saw) {
    }

    /** Our offer on its way: the session that made it and the exchange carrying it. */
    record Outgoing(PeerSession session, SessionEvents saw, SignedDescription offer, OutboundExchange exchange)
            implements AutoCloseable {

        /** Waits for the peer's answer and applies it. */
        Side complete() throws Exception {
            PeerAnswer answer = exchange.answer().get(T, TimeUnit.SECONDS);
            session.acceptAnswer(answer.answer().description()).get(T, TimeUnit.SECONDS);
            return new Side(session, answer.from(), offer, answer.answer(), saw);
        }

        @Override
        public void close() {
            session.close();
        }
    }

    /** {@code from} makes a session and sends its signed offer to {@code to}. */
    static Outgoing send(Member from, PeerAddress to, boolean reconnect) throws Exception {
        SessionEvents saw = new SessionEvents();
        PeerSession session = newSession(from.name, saw);
        SessionDescription offer = session.createOffer().get(T, TimeUnit.SECONDS);
        SignedDescription signed = new SignedDescription(offer, from.identity.prove(offer));
        OutboundExchange exchange = from.link.send(to, signed, reconnect);
        exchange.candidates(c -> addCandidate(session, c));
        return new Outgoing(session, saw, signed, exchange);
    }

    /** {@code to} answers {@code offer} with a session of its own. */
    static Side accept(Member to, InboundOffer offer) throws Exception {
        SessionEvents saw = new SessionEvents();
        PeerSession session = newSession(to.name, saw);
        offer.candidates(c -> addCandidate(session, c));
        SessionDescription answer = session.acceptOffer(offer.offer().description()).get(T, TimeUnit.SECONDS);
        SignedDescription signed = new SignedDescription(answer, to.identity.prove(answer));
        offer.answer(signed).get(T, TimeUnit.SECONDS);
        return new Side(session, offer.from(), signed, offer.offer(), saw);
    }

    /** An offer for where none is read (the exchange fails before anything is sent). */
    static SignedDescription anyOffer() {
        return SignedDescription.unsigned(new SessionDescription(SessionDescription.Type.OFFER, "v=0\r\n"));
    }

    static PeerSession newSession(String name, SessionEvents saw) throws SessionException {
        PeerSession session = Registered.transport().createSession(SessionConfig.of(List.of(), name));
        session.addListener(saw);
        return session;
    }

    private static void addCandidate(PeerSession session, org.p2pchat.core.IceCandidate candidate) {
        try {
            session.addRemoteCandidate(candidate);
        } catch (SessionException e) {
            throw new IllegalStateException(e);
        }
    }
}
