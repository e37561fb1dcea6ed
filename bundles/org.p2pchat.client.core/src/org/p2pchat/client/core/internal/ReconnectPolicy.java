package org.p2pchat.client.core.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.p2pchat.client.core.ClientEvent;
import org.p2pchat.client.core.EndReason;

/**
 * How a lost connection comes back, the same for every view: the side that connected asks the
 * peer again through the method, {@value #ATTEMPTS} times, waiting 1, 2, 4, 8 and 16 s before the
 * attempts (a peer that is back soon is found soon); each failed attempt is reported and the next
 * one follows, only the last gives up. The side that accepted waits for its peer's request, which
 * the client accepts without asking, and gives up after {@link #awaitMillis()}.
 */
final class ReconnectPolicy {

    static final int ATTEMPTS = 5;
    /** How long one attempt may take from the offer to the connected session. */
    static final long ATTEMPT_TIMEOUT_MILLIS = 60_000;

    /** The pause before attempt {@code n} (1-based): 1, 2, 4, 8, 16 s. */
    static long waitBefore(int n) {
        return 1000L << (n - 1);
    }

    /** How long the side that accepted waits for its peer to come back: every attempt and pause of the peer's. */
    static long awaitMillis() {
        long total = 0;
        for (int n = 1; n <= ATTEMPTS; n++) {
            total += waitBefore(n) + ATTEMPT_TIMEOUT_MILLIS;
        }
        return total;
    }

    private final ChatConversation conversation;
    /** The attempt under way or about to start; 0 when not reconnecting. */
    private int attempt;
    /** Counts losses: a pause or deadline of an earlier one does nothing. */
    private int round;
    private boolean stopped;

    ReconnectPolicy(ChatConversation conversation) {
        this.conversation = conversation;
    }

    /** The connection was lost: ask again (the side that connected). */
    synchronized void start() {
        if (stopped || attempt > 0) {
            return;
        }
        round++;
        schedule(1, round);
    }

    /** The connection was lost: wait for the peer to ask (the side that accepted). */
    synchronized void await() {
        if (stopped) {
            return;
        }
        int mine = ++round;
        conversation.client().after(awaitMillis()).execute(() -> {
            synchronized (this) {
                if (stopped || round != mine) {
                    return;
                }
            }
            conversation.end(EndReason.LOST, conversation.shownName() + " did not reconnect; the connection is lost.");
        });
    }

    private void schedule(int n, int inRound) {
        attempt = n;
        conversation.client().after(waitBefore(n)).execute(() -> run(n, inRound));
    }

    private void run(int n, int inRound) {
        synchronized (this) {
            if (stopped || round != inRound || attempt != n) {
                return;
            }
        }
        conversation.client().post(new ClientEvent.Reconnecting(conversation, n, ATTEMPTS));
        CompletableFuture<Void> tried;
        try {
            tried = conversation.client().negotiator().reconnect(conversation)
                    .orTimeout(ATTEMPT_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            tried = CompletableFuture.failedFuture(e);
        }
        tried.whenComplete((ok, error) -> {
            if (error != null) {
                failed(n, inRound, DefaultChatClient.message(error));
            }
        });
    }

    private void failed(int n, int inRound, String reason) {
        boolean last;
        synchronized (this) {
            if (stopped || round != inRound || attempt != n) {
                return; // reconnected meanwhile (by the peer), or left
            }
            last = n >= ATTEMPTS;
            if (!last) {
                schedule(n + 1, inRound);
            } else {
                attempt = 0;
            }
        }
        conversation.client().post(new ClientEvent.ReconnectFailed(conversation, n, reason,
                last ? -1 : waitBefore(n + 1)));
        if (last) {
            conversation.end(EndReason.LOST, "Could not reconnect to " + conversation.shownName() + " (" + reason
                    + "). Start a new connection to chat again.");
        }
    }

    /** The connection is back (made by either side): the attempts stop; a later loss starts again. */
    synchronized void succeeded() {
        attempt = 0;
        round++;
    }

    /** The conversation is over: nothing more is tried. */
    synchronized void stop() {
        stopped = true;
        attempt = 0;
        round++;
    }
}
