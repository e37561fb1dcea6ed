package org.p2pchat.client.core.internal;

import java.lang.System.Logger.Level;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.p2pchat.core.IceCandidate;
import org.p2pchat.core.PeerSession;
import org.p2pchat.core.SessionDescription;
import org.p2pchat.core.SessionException;
import org.p2pchat.core.identity.IdentityService;
import org.p2pchat.core.identity.PublicIdentity;
import org.p2pchat.core.signaling.InboundOffer;
import org.p2pchat.core.signaling.OutboundExchange;
import org.p2pchat.core.signaling.PeerAddress;
import org.p2pchat.core.signaling.PeerAnswer;
import org.p2pchat.core.signaling.ProviderLink;
import org.p2pchat.core.signaling.SignalingException;
import org.p2pchat.core.signaling.SignedDescription;

/**
 * Makes the sessions of conversations through a provider: our offer signed and carried, the
 * peer's answer's proof checked before it is used; a peer's offer answered with our signed
 * answer. The same for a first connection and for a reconnection, which must prove the key the
 * conversation verified before.
 */
final class Negotiator {

    private static final System.Logger LOG = System.getLogger(Negotiator.class.getName());

    private final DefaultChatClient client;
    private final IdentityService identity;
    private final Proofs proofs;

    Negotiator(DefaultChatClient client, IdentityService identity, Proofs proofs) {
        this.client = client;
        this.identity = identity;
        this.proofs = proofs;
    }

    /** What an offer of ours brought back. */
    private record Answered(ChatConversation.Negotiated negotiated, PeerAddress from, Optional<PublicIdentity> identity) {
    }

    /** Starts {@code c}'s first session: offer to {@code peer}, check the answer, use it. */
    void connect(ChatConversation c, ProviderLink link, PeerAddress peer) {
        PeerSession session;
        try {
            session = c.newSession();
        } catch (SessionException e) {
            c.failed(e);
            return;
        }
        c.use(session);
        c.progress("Asking " + c.who() + " to connect\u2026");
        offer(c, session, link, peer, false, Optional.empty(), ConnectionAttempt.answerWait())
                .whenComplete((answered, error) -> {
                    if (error != null) {
                        c.failed(ConnectionAttempt.unanswered(error, c.who())); // closes the session
                    } else {
                        c.answeredFrom(answered.from());
                        c.progress(c.who() + " accepted. Finding a network path\u2026");
                        c.negotiated(answered.negotiated(), answered.identity());
                    }
                });
    }

    /**
     * A reconnection attempt of {@code c}: a new session offered to the same peer, marked as a
     * reconnection, whose answer must prove the key verified before; completes once it connected.
     */
    CompletableFuture<Void> reconnect(ChatConversation c) {
        PeerAddress peer = c.peer().orElseThrow();
        ProviderLink link;
        PeerSession session;
        try {
            link = client.links().onlineLink(c.methodId());
            session = c.newSession();
        } catch (SessionException | RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<Void> up = offer(c, session, link, peer, true, c.peerIdentity(), null)
                .thenCompose(answered -> c.pending(answered.negotiated(), answered.identity(), false))
                .orTimeout(ReconnectPolicy.ATTEMPT_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        up.whenComplete((ok, error) -> {
            if (error != null) {
                c.dropPending(session);
            }
        });
        return up;
    }

    /**
     * Our signed offer to {@code peer} and the checked answer. Whatever ends first (the conversation,
     * the attempt's time, or {@code answerWait}) withdraws the offer where the provider can.
     *
     * @param answerWait how long the peer has to answer once the offer is on its way (a first
     *                   connection: a person accepts, and says so), or null for the provider's own wait
     */
    private CompletableFuture<Answered> offer(ChatConversation c, PeerSession session, ProviderLink link,
            PeerAddress peer, boolean reconnect, Optional<PublicIdentity> known, java.time.Duration answerWait) {
        CompletableFuture<Answered> result = session.createOffer().thenCompose(offer -> {
            SignedDescription signed = new SignedDescription(offer, identity.prove(offer));
            OutboundExchange exchange = link.send(peer, signed, reconnect);
            exchange.candidates(candidateSink(session));
            CompletableFuture<PeerAnswer> answer = exchange.answer();
            // What we wait for: the answer, or the end of our wait, which withdraws the offer.
            CompletableFuture<PeerAnswer> answered = answer.copy();
            if (answerWait != null && !answer.isDone()) {
                c.progress("Waiting for " + c.who() + " to accept\u2026");
                CompletableFuture.delayedExecutor(answerWait.toMillis(), TimeUnit.MILLISECONDS, client.work())
                        .execute(() -> {
                            if (answered.completeExceptionally(new ConnectionAttempt.Unanswered(answerWait))) {
                                answer.cancel(false);
                            }
                        });
            }
            Runnable withdraw = () -> answer.cancel(false);
            c.onEnd(withdraw);
            return answered.thenCompose(a -> useAnswer(session, peer, offer, a, known))
                    .whenComplete((ok, error) -> {
                        c.removeOnEnd(withdraw);
                        if (error != null) {
                            answer.cancel(false);
                        }
                    });
        });
        return result;
    }

    private CompletableFuture<Answered> useAnswer(PeerSession session, PeerAddress peer, SessionDescription offer,
            PeerAnswer answer, Optional<PublicIdentity> known) {
        Optional<PublicIdentity> proved;
        try {
            if (answer.answer().description().type() != SessionDescription.Type.ANSWER) {
                throw new SignalingException("The answer from " + answer.from().shown() + " cannot be used: it is an "
                        + answer.answer().description().type().wireName() + ", not an answer.");
            }
            proved = proofs.checkAnswer(peer, answer.from(), answer.answer(), known);
        } catch (SignalingException e) {
            return CompletableFuture.failedFuture(e);
        }
        SessionDescription remote = answer.answer().description();
        return session.acceptAnswer(remote).thenApply(ok -> new Answered(
                new ChatConversation.Negotiated(session, offer, remote), answer.from(), proved));
    }

    /** Answers {@code offer} (whose proof held, proving {@code proved}) as {@code c}'s first session. */
    void accept(ChatConversation c, InboundOffer offer, Optional<PublicIdentity> proved) {
        PeerSession session;
        try {
            session = c.newSession();
        } catch (SessionException e) {
            offer.reject(null);
            c.failed(e);
            return;
        }
        c.use(session);
        c.progress("Connecting to " + c.who() + ": finding a network path\u2026");
        answer(session, offer).whenComplete((negotiated, error) -> {
            if (error != null) {
                c.failed(error); // closes the session
            } else {
                c.negotiated(negotiated, proved);
            }
        });
    }

    /** Answers a reconnection request that continues {@code c}: no question to the user. */
    void acceptReconnection(ChatConversation c, InboundOffer offer, Optional<PublicIdentity> proved) {
        PeerSession session;
        try {
            session = c.newSession();
        } catch (SessionException e) {
            offer.reject(null);
            LOG.log(Level.WARNING, "could not accept a reconnection", e);
            return;
        }
        answer(session, offer).thenCompose(negotiated -> c.pending(negotiated, proved, true))
                .orTimeout(ReconnectPolicy.ATTEMPT_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
                .whenComplete((ok, error) -> {
                    if (error != null) {
                        LOG.log(Level.INFO, "a reconnection by the peer did not connect: {0}",
                                DefaultChatClient.message(error));
                        c.dropPending(session);
                    }
                });
    }

    private CompletableFuture<ChatConversation.Negotiated> answer(PeerSession session, InboundOffer offer) {
        offer.candidates(candidateSink(session));
        SessionDescription remote = offer.offer().description();
        return session.acceptOffer(remote).thenCompose(answer -> offer
                .answer(new SignedDescription(answer, identity.prove(answer)))
                .thenApply(sent -> new ChatConversation.Negotiated(session, answer, remote)));
    }

    private static Consumer<IceCandidate> candidateSink(PeerSession session) {
        return candidate -> {
            try {
                session.addRemoteCandidate(candidate);
            } catch (SessionException | RuntimeException e) {
                LOG.log(Level.INFO, "a trickled candidate was refused: {0}", e.getMessage());
            }
        };
    }

    static RuntimeException wrap(Throwable t) {
        return t instanceof RuntimeException r ? r : new CompletionException(t);
    }
}
