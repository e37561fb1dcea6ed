package org.p2pchat.signaling.dht.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeUnit;

import org.p2pchat.core.ChatMessage;
import org.p2pchat.core.signaling.InboundOffer;
import org.p2pchat.core.signaling.PeerAddress;
import org.p2pchat.signaling.dht.tests.Negotiation.Side;
import org.p2pchat.testing.TestData;

/**
 * Two members connected through the provider: the offerer's and the answerer's side, and how long
 * it took from sending the offer until the offerer's chat channel was open.
 */
record Connected(Side offerer, Side answerer, long connectToOpenNanos) implements AutoCloseable {

    private static final long T = Await.SECONDS;

    /** {@code from} connects to {@code peer} (which is {@code to}), and {@code to} accepts at once. */
    static Connected connect(Member from, Member to, PeerAddress peer) throws Exception {
        return connect(from, to, peer, false);
    }

    static Connected connect(Member from, Member to, PeerAddress peer, boolean reconnect) throws Exception {
        long start = System.nanoTime();
        Negotiation.Outgoing outgoing = Negotiation.send(from, peer, reconnect);
        try {
            InboundOffer offer = to.events.nextOffered();
            assertEquals(from.idOn(peer.scope()), offer.from().id());
            assertEquals(reconnect, offer.reconnect());
            return finish(start, outgoing, Negotiation.accept(to, offer));
        } catch (Exception | AssertionError e) {
            outgoing.close();
            throw e;
        }
    }

    /** The offerer's side completes once the answer is there; both wait for their chat channel. */
    static Connected finish(long start, Negotiation.Outgoing outgoing, Side answerer) throws Exception {
        Side offerer = outgoing.complete();
        offerer.saw().awaitConnected();
        answerer.saw().awaitConnected();
        return new Connected(offerer, answerer, offerer.saw().connectedAtNanos - start);
    }

    /** A chat message each way over the real data channel, arriving intact. */
    void chatBothWays() throws Exception {
        ChatMessage hello = ChatMessage.create("offerer", "hello " + TestData.ANY_TEXT);
        offerer.session().send(hello).get(T, TimeUnit.SECONDS);
        assertEquals(hello, answerer.saw().nextChat());
        ChatMessage reply = ChatMessage.create("answerer", "hi back " + TestData.ANY_TEXT);
        answerer.session().send(reply).get(T, TimeUnit.SECONDS);
        assertEquals(reply, offerer.saw().nextChat());
    }

    @Override
    public void close() {
        offerer.session().close();
        answerer.session().close();
    }
}
