package org.p2pchat.ui.tests;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;

import org.p2pchat.core.IceCandidate;
import org.p2pchat.core.SessionDescription;
import org.p2pchat.core.identity.IdentityService;
import org.p2pchat.core.identity.PublicIdentity;
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
 * A connection provider the test drives, as a directory would behave: it reports its standing,
 * lists the peers the test sets, carries our offers to exchanges the test answers (with the
 * peer's real identity proof, or none as the web app) or fails, and delivers offers the test makes
 * up. Everything else (sessions, proofs, contacts, reconnecting) is the real client layer's.
 */
final class ScriptedProvider implements ConnectionProvider {

    static final String ID = "scripted";
    /** The one place it works through. */
    static final String SERVICE = "192.0.2.1:3479";

    final BlockingQueue<Link> links = new LinkedBlockingQueue<>();

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String displayName() {
        return "Test directory";
    }

    @Override
    public String description() {
        return "A directory the test drives. It finds nobody by itself.";
    }

    @Override
    public Set<ProviderCapability> capabilities() {
        return Set.of(ProviderCapability.PEER_LIST, ProviderCapability.CONNECT, ProviderCapability.INCOMING);
    }

    @Override
    public ProviderLink start(ProviderContext context) {
        Link link = new Link(context);
        links.add(link);
        return link;
    }

    /** A peer listed on {@link #SERVICE} under its key. */
    static PeerAddress peer(String name, PublicIdentity key) {
        return new PeerAddress(ID, key.key(), name, SERVICE, Optional.of(key), Instant.now());
    }

    /** A peer on {@link #SERVICE} that proves no key (the web app). */
    static PeerAddress webApp(String id, String name) {
        return new PeerAddress(ID, id, name, SERVICE, Optional.empty(), Instant.now());
    }

    /** A description of {@code type} signed by {@code identity}, or without a proof if it is null. */
    static SignedDescription signed(SessionDescription.Type type, IdentityService identity) {
        SessionDescription d = ScriptedSession.description(type);
        return identity == null ? SignedDescription.unsigned(d) : new SignedDescription(d, identity.prove(d));
    }

    /** One client's use of the provider, from start to close. */
    static final class Link implements ProviderLink {

        final ProviderContext context;
        final BlockingQueue<Exchange> exchanges = new LinkedBlockingQueue<>();
        volatile List<PeerAddress> listed = List.of();
        volatile List<ProviderStatus> statuses = List.of(new ProviderStatus(SERVICE, ProviderStatus.State.CONNECTING, "", ""));
        volatile boolean closed;

        Link(ProviderContext context) {
            this.context = context;
        }

        /** The service reports {@code state}, as the provider's threads would. */
        void report(ProviderStatus.State state, String ourId, String detail) {
            statuses = List.of(new ProviderStatus(SERVICE, state, ourId, detail));
            context.callback().statusChanged(statuses);
        }

        /** Someone sends an offer: {@code identity} proves it (null: no proof, as the web app). */
        Offer offer(PeerAddress from, IdentityService identity, boolean reconnect) {
            Offer offer = new Offer(from, signed(SessionDescription.Type.OFFER, identity), reconnect);
            context.callback().offered(offer);
            return offer;
        }

        @Override
        public List<ProviderStatus> status() {
            return statuses;
        }

        @Override
        public CompletableFuture<List<PeerAddress>> peers() {
            return CompletableFuture.completedFuture(listed);
        }

        /** An id the peer pasted: a key is a peer on the service with that key. */
        @Override
        public Optional<PeerAddress> address(String text) {
            try {
                PublicIdentity key = new PublicIdentity(text.strip());
                return Optional.of(new PeerAddress(ID, key.key(), "", SERVICE, Optional.of(key), null));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }

        @Override
        public OutboundExchange send(PeerAddress to, SignedDescription offer, boolean reconnect) {
            Exchange exchange = new Exchange(to, offer, reconnect);
            exchanges.add(exchange);
            return exchange;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    /** Our offer on its way; the test answers it. */
    static final class Exchange implements OutboundExchange {

        final PeerAddress to;
        final SignedDescription offer;
        final boolean reconnect;
        final CompletableFuture<PeerAnswer> answer = new CompletableFuture<>();

        Exchange(PeerAddress to, SignedDescription offer, boolean reconnect) {
            this.to = to;
            this.offer = offer;
            this.reconnect = reconnect;
        }

        /** The peer answers, proving {@code identity} (null: no proof); returns its answer. */
        SignedDescription succeed(IdentityService identity) {
            SignedDescription signed = signed(SessionDescription.Type.ANSWER, identity);
            answer.complete(new PeerAnswer(to, signed));
            return signed;
        }

        void fail(String why) {
            answer.completeExceptionally(new SignalingException(why));
        }

        @Override
        public CompletableFuture<PeerAnswer> answer() {
            return answer;
        }

        @Override
        public void candidates(Consumer<IceCandidate> sink) {
        }
    }

    /** An offer the test made; records what the client did with it. */
    static final class Offer implements InboundOffer {

        private final PeerAddress from;
        private final SignedDescription offer;
        private final boolean reconnect;
        final CompletableFuture<SignedDescription> answered = new CompletableFuture<>();
        volatile boolean rejected;

        Offer(PeerAddress from, SignedDescription offer, boolean reconnect) {
            this.from = from;
            this.offer = offer;
            this.reconnect = reconnect;
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
        public CompletableFuture<Void> answer(SignedDescription answer) {
            answered.complete(answer);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void reject(String reason) {
            rejected = true;
        }
    }
}
