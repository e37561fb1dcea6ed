package org.p2pchat.signaling.dht.tests;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

import org.p2pchat.core.ChatMessage;
import org.p2pchat.core.ConnectionState;
import org.p2pchat.core.PeerSession;
import org.p2pchat.core.PeerSessionListener;

/** What one peer session reported, and when its chat channel opened. */
final class SessionEvents implements PeerSessionListener {

    final BlockingQueue<ConnectionState> states = new LinkedBlockingQueue<>();
    final BlockingQueue<ChatMessage> messages = new LinkedBlockingQueue<>();
    volatile long connectedAtNanos;

    @Override
    public void stateChanged(PeerSession session, ConnectionState state) {
        if (state == ConnectionState.CONNECTED && connectedAtNanos == 0) {
            connectedAtNanos = System.nanoTime();
        }
        states.add(state);
    }

    @Override
    public void messageReceived(PeerSession session, ChatMessage message) {
        messages.add(message);
    }

    void awaitConnected() throws InterruptedException {
        Await.next(states, s -> s == ConnectionState.CONNECTED, "CONNECTED state");
    }

    ChatMessage nextChat() throws InterruptedException {
        return Await.next(messages, m -> !m.isSystemNotice(), "chat message");
    }
}
