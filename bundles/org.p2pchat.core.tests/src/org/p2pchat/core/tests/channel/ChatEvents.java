package org.p2pchat.core.tests.channel;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.p2pchat.core.ChatMessage;
import org.p2pchat.core.channel.ChatChannelListener;

/** Everything a chat channel reported, in arrival order. */
final class ChatEvents implements ChatChannelListener {

    final CountDownLatch opened = new CountDownLatch(1);
    final CountDownLatch closed = new CountDownLatch(1);
    final BlockingQueue<ChatMessage> messages = new LinkedBlockingQueue<>();
    final BlockingQueue<String> unknown = new LinkedBlockingQueue<>();
    final BlockingQueue<String> problems = new LinkedBlockingQueue<>();
    final BlockingQueue<Long> acks = new LinkedBlockingQueue<>();

    @Override
    public void opened() {
        opened.countDown();
    }

    @Override
    public void messageReceived(ChatMessage message) {
        messages.add(message);
    }

    @Override
    public void acknowledged(long seq) {
        acks.add(seq);
    }

    @Override
    public void unknownMessage(String type, String json) {
        unknown.add(type);
    }

    @Override
    public void problem(String description) {
        problems.add(description);
    }

    @Override
    public void closed() {
        closed.countDown();
    }

    ChatMessage nextMessage() throws InterruptedException {
        return next(messages, "message");
    }

    long nextAck() throws InterruptedException {
        return next(acks, "acknowledgement");
    }

    String nextProblem() throws InterruptedException {
        return next(problems, "problem");
    }

    static <T> T next(BlockingQueue<T> queue, String what) throws InterruptedException {
        T item = queue.poll(RawPeer.WAIT_SECONDS, TimeUnit.SECONDS);
        if (item == null) {
            throw new AssertionError("no " + what + " in " + RawPeer.WAIT_SECONDS + " s");
        }
        return item;
    }
}
