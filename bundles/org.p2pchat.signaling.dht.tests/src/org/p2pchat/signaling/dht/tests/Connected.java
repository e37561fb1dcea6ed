package org.p2pchat.signaling.dht.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.p2pchat.core.ChatMessage;
import org.p2pchat.core.signaling.DirectoryConnection;
import org.p2pchat.core.signaling.DirectoryPeer;
import org.p2pchat.core.signaling.IncomingRequest;
import org.p2pchat.testing.TestData;

/**
 * Two members connected through the directory: the offerer's and the answerer's connection, what
 * each session saw, and how long it took from connect() until the offerer's chat channel was open.
 */
record Connected(DirectoryConnection offerer, DirectoryConnection answerer, SessionEvents offererSaw,
        SessionEvents answererSaw, long connectToOpenNanos) implements AutoCloseable {

    private static final long T = Await.SECONDS;

    /** {@code from} connects to {@code peer} (which is {@code to}), and {@code to} accepts at once. */
    static Connected connect(Member from, Member to, DirectoryPeer peer) throws Exception {
        SessionEvents fromSaw = new SessionEvents();
        SessionEvents toSaw = new SessionEvents();
        long start = System.nanoTime();
        CompletableFuture<DirectoryConnection> connecting = from.membership.connect(peer, fromSaw);
        IncomingRequest request = to.events.nextIncoming();
        assertEquals(from.idOn(peer.service()), request.from().id());
        DirectoryConnection answerer = request.accept(toSaw).get(T, TimeUnit.SECONDS);
        DirectoryConnection offerer = connecting.get(T, TimeUnit.SECONDS);
        fromSaw.awaitConnected();
        toSaw.awaitConnected();
        return new Connected(offerer, answerer, fromSaw, toSaw, fromSaw.connectedAtNanos - start);
    }

    /** A chat message each way over the real data channel, arriving intact. */
    void chatBothWays() throws Exception {
        ChatMessage hello = ChatMessage.create("offerer", "hello " + TestData.ANY_TEXT);
        offerer.session().send(hello).get(T, TimeUnit.SECONDS);
        assertEquals(hello, answererSaw.nextChat());
        ChatMessage reply = ChatMessage.create("answerer", "hi back " + TestData.ANY_TEXT);
        answerer.session().send(reply).get(T, TimeUnit.SECONDS);
        assertEquals(reply, offererSaw.nextChat());
    }

    @Override
    public void close() {
        offerer.session().close();
        answerer.session().close();
    }
}
