package org.p2pchat.core.tests.channel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.p2pchat.core.channel.MessageChannelListener;

/**
 * The far end of a channel driven byte by byte, as another app would: what the chat channel under
 * test puts on the wire is read here exactly as sent, and what a web app or a hostile peer would
 * send is sent from here.
 */
final class RawPeer implements MessageChannelListener {

    record Message(byte[] data, boolean binary) {
        String text() {
            return new String(data, StandardCharsets.UTF_8);
        }
    }

    static final long WAIT_SECONDS = 10;

    final InMemoryChannelPair.End end;
    final BlockingQueue<Message> received = new LinkedBlockingQueue<>();
    final CountDownLatch closed = new CountDownLatch(1);

    RawPeer(InMemoryChannelPair.End end) {
        this.end = end;
        end.setListener(this);
    }

    @Override
    public void received(byte[] message, boolean binary) {
        received.add(new Message(message, binary));
    }

    @Override
    public void closed() {
        closed.countDown();
    }

    Message next() throws InterruptedException {
        Message m = received.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        if (m == null) {
            throw new AssertionError("nothing received in " + WAIT_SECONDS + " s");
        }
        return m;
    }

    /** The next text message; fails on a binary one. */
    String nextText() throws InterruptedException {
        Message m = next();
        if (m.binary()) {
            throw new AssertionError("a binary message of " + m.data().length + " bytes, where text was expected");
        }
        return m.text();
    }

    void sendText(String text) throws IOException {
        end.send(text.getBytes(StandardCharsets.UTF_8), false);
    }

    void sendBinary(byte[] data) throws IOException {
        end.send(data, true);
    }
}
