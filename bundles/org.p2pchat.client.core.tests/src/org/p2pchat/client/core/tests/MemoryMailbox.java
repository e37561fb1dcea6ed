package org.p2pchat.client.core.tests;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

import org.p2pchat.core.IceCandidate;
import org.p2pchat.core.signaling.ConnectionProvider;
import org.p2pchat.core.signaling.InboundOffer;
import org.p2pchat.core.signaling.OutboundExchange;
import org.p2pchat.core.signaling.PeerAddress;
import org.p2pchat.core.signaling.PeerAnswer;
import org.p2pchat.core.signaling.ProviderCapability;
import org.p2pchat.core.signaling.ProviderContext;
import org.p2pchat.core.signaling.ProviderLink;
import org.p2pchat.core.signaling.ProviderStatus;
import org.p2pchat.core.signaling.SignalingException;
import org.p2pchat.core.signaling.SignedDescription;

/**
 * A connection provider written against the SPI only, carrying descriptions in memory between
 * the clients of one framework, as an authenticated service would: an address is its owner's
 * key. {@link #tamper} changes what is carried, as someone in between would.
 */
final class MemoryMailbox implements ConnectionProvider {

    static final String ID = "memory";
    static final String SCOPE = "memory:";

    private final Map<String, Link> links = new ConcurrentHashMap<>();
    /** Applied to every description carried (offers and answers); identity by default. */
    volatile UnaryOperator<SignedDescription> tamper = UnaryOperator.identity();
    /** Every offer carried, for tests that look at the reconnect flag. */
    final List<Boolean> reconnectFlags = new CopyOnWriteArrayList<>();

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String displayName() {
        return "Memory mailbox";
    }

    @Override
    public String description() {
        return "Carries descriptions in memory between clients of one framework (tests).";
    }

    @Override
    public Set<ProviderCapability> capabilities() {
        return Set.of(ProviderCapability.PEER_LIST, ProviderCapability.CONNECT, ProviderCapability.INCOMING);
    }

    @Override
    public ProviderLink start(ProviderContext context) {
        Link link = new Link(context);
        links.put(link.address.id(), link);
        context.callback().statusChanged(link.status());
        return link;
    }

    final class Link implements ProviderLink {
        final ProviderContext context;
        final PeerAddress address;

        Link(ProviderContext context) {
            this.context = context;
            this.address = new PeerAddress(ID, context.self().key(), context.displayName(), SCOPE,
                    Optional.of(context.self()), Instant.now());
        }

        @Override
        public List<ProviderStatus> status() {
            return List.of(new ProviderStatus(SCOPE, ProviderStatus.State.ONLINE, address.id(), ""));
        }

        @Override
        public CompletableFuture<List<PeerAddress>> peers() {
            return CompletableFuture.completedFuture(links.values().stream().filter(l -> l != this)
                    .map(l -> l.address).toList());
        }

        @Override
        public Optional<PeerAddress> address(String text) {
            Link l = links.get(text);
            return l == null ? Optional.empty() : Optional.of(l.address);
        }

        @Override
        public OutboundExchange send(PeerAddress to, SignedDescription offer, boolean reconnect) {
            Link target = links.get(to.id());
            if (target == null) {
                return OutboundExchange.failed(new SignalingException("No peer " + to.shown() + " here."));
            }
            reconnectFlags.add(reconnect);
            CompletableFuture<PeerAnswer> answer = new CompletableFuture<>();
            Offer carried = new Offer(address, tamper.apply(offer), reconnect, answer, target.address);
            CompletableFuture.runAsync(() -> target.context.callback().offered(carried));
            return new OutboundExchange() {
                @Override
                public CompletableFuture<PeerAnswer> answer() {
                    return answer;
                }

                @Override
                public void candidates(Consumer<IceCandidate> sink) {
                    // the descriptions hold every candidate
                }
            };
        }

        @Override
        public void close() {
            links.remove(address.id(), this);
        }
    }

    private final class Offer implements InboundOffer {
        private final PeerAddress from;
        private final SignedDescription offer;
        private final boolean reconnect;
        private final CompletableFuture<PeerAnswer> answer;
        private final PeerAddress answerer;

        Offer(PeerAddress from, SignedDescription offer, boolean reconnect, CompletableFuture<PeerAnswer> answer,
                PeerAddress answerer) {
            this.from = from;
            this.offer = offer;
            this.reconnect = reconnect;
            this.answer = answer;
            this.answerer = answerer;
        }

        @Override
        public PeerAddress from() {
            return from;
        }

        @Override
        public SignedDescription offer() {
            return offer;
        }

        @Override
        public boolean reconnect() {
            return reconnect;
        }

        @Override
        public void candidates(Consumer<IceCandidate> sink) {
        }

        @Override
        public CompletableFuture<Void> answer(SignedDescription description) {
            CompletableFuture.runAsync(() -> answer.complete(new PeerAnswer(answerer, tamper.apply(description))));
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void reject(String reason) {
            answer.completeExceptionally(new SignalingException(answerer.shown() + " declined"
                    + (reason == null ? "." : ": " + reason)));
        }
    }
}
