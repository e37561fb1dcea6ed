package org.p2pchat.ui.tests;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;

import org.p2pchat.core.PeerSessionListener;
import org.p2pchat.core.SessionDescription;
import org.p2pchat.core.identity.PublicIdentity;
import org.p2pchat.core.signaling.DirectoryConnection;
import org.p2pchat.core.signaling.DirectoryListener;
import org.p2pchat.core.signaling.DirectoryMembership;
import org.p2pchat.core.signaling.DirectoryOptions;
import org.p2pchat.core.signaling.DirectoryPeer;
import org.p2pchat.core.signaling.DirectorySignalingProvider;
import org.p2pchat.core.signaling.IncomingRequest;
import org.p2pchat.core.signaling.ServiceStatus;
import org.p2pchat.core.signaling.SignalingException;
import org.p2pchat.core.signaling.SignedDescription;

/**
 * A directory connection method the test drives, with no network: it records what the client
 * joins with and asks for, and the test answers with service states, listed peers, incoming
 * requests and negotiations that end in a {@link ScriptedSession}.
 */
final class ScriptedDirectory implements DirectorySignalingProvider {

    static final URI SERVICE = URI.create("http://192.0.2.1:3479");

    final BlockingQueue<Membership> joins = new LinkedBlockingQueue<>();

    @Override
    public String id() {
        return "scripted-directory";
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
    public DirectoryMembership join(DirectoryOptions options, DirectoryListener listener) {
        Membership membership = new Membership(options, listener);
        joins.add(membership);
        return membership;
    }

    static DirectoryPeer peer(String name, PublicIdentity identity) {
        return new DirectoryPeer(identity.key(), name, SERVICE, true, Instant.now());
    }

    /** A description with a DTLS fingerprint of its own, as a real one has (the safety number covers it). */
    static SessionDescription description(SessionDescription.Type type) {
        byte[] digest = new byte[32];
        new SecureRandom().nextBytes(digest);
        String fingerprint = HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        return new SessionDescription(type, "v=0\r\no=- 1 2 IN IP4 192.0.2.1\r\ns=-\r\nt=0 0\r\n"
                + "a=fingerprint:sha-256 " + fingerprint + "\r\n");
    }

    /** One membership: the options the client joined with and what the test makes happen on it. */
    static final class Membership implements DirectoryMembership {

        final DirectoryOptions options;
        final DirectoryListener listener;
        final BlockingQueue<Negotiation> negotiations = new LinkedBlockingQueue<>();
        volatile List<DirectoryPeer> listed = List.of();
        volatile List<ServiceStatus> statuses;
        volatile boolean closed;

        Membership(DirectoryOptions options, DirectoryListener listener) {
            this.options = options;
            this.listener = listener;
            statuses = options.services().stream()
                    .map(uri -> new ServiceStatus(uri, ServiceStatus.State.CONNECTING, null, null, null)).toList();
        }

        /** Every service reports {@code status}, as the provider's threads would. */
        void report(ServiceStatus.State state, String api, String ourId, String detail) {
            statuses = options.services().stream().map(uri -> new ServiceStatus(uri, state, api, ourId, detail)).toList();
            statuses.forEach(listener::serviceChanged);
        }

        /** Someone asks to connect. */
        Request request(DirectoryPeer from, Optional<PublicIdentity> identity, boolean reconnect) {
            Request request = new Request(from, identity, reconnect);
            listener.incoming(request);
            return request;
        }

        @Override
        public List<ServiceStatus> services() {
            return statuses;
        }

        @Override
        public CompletableFuture<List<DirectoryPeer>> peers() {
            return CompletableFuture.completedFuture(listed);
        }

        @Override
        public CompletableFuture<DirectoryConnection> connect(DirectoryPeer peer, PeerSessionListener sessionListener) {
            Negotiation n = new Negotiation(peer, sessionListener, null);
            negotiations.add(n);
            return n.future;
        }

        @Override
        public CompletableFuture<DirectoryConnection> reconnect(DirectoryConnection previous, PeerSessionListener sessionListener) {
            Negotiation n = new Negotiation(previous.peer(), sessionListener, previous);
            negotiations.add(n);
            return n.future;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    /** A session being negotiated; its listener is attached before the test lets anything happen. */
    static final class Negotiation {

        final DirectoryPeer peer;
        /** The connection this one replaces; null unless it is a reconnection. */
        final DirectoryConnection previous;
        final ScriptedSession session = new ScriptedSession();
        final CompletableFuture<DirectoryConnection> future = new CompletableFuture<>();

        Negotiation(DirectoryPeer peer, PeerSessionListener listener, DirectoryConnection previous) {
            this.peer = peer;
            this.previous = previous;
            session.addListener(listener);
        }

        /** Negotiated: the peer proved {@code identity} (empty: the web app, unverified). */
        DirectoryConnection succeed(Optional<PublicIdentity> identity) {
            DirectoryConnection connection = new DirectoryConnection(session, peer,
                    SignedDescription.unsigned(description(SessionDescription.Type.OFFER)),
                    SignedDescription.unsigned(description(SessionDescription.Type.ANSWER)), identity);
            future.complete(connection);
            return connection;
        }

        void fail(String why) {
            future.completeExceptionally(new SignalingException(why));
        }
    }

    /** A request the test makes; records what the client answered. */
    static final class Request implements IncomingRequest {

        private final DirectoryPeer from;
        private final Optional<PublicIdentity> identity;
        private final boolean reconnect;
        final CompletableFuture<Negotiation> accepted = new CompletableFuture<>();
        volatile boolean rejected;

        Request(DirectoryPeer from, Optional<PublicIdentity> identity, boolean reconnect) {
            this.from = from;
            this.identity = identity;
            this.reconnect = reconnect;
        }

        @Override
        public DirectoryPeer from() {
            return from;
        }

        @Override
        public Optional<PublicIdentity> identity() {
            return identity;
        }

        @Override
        public boolean reconnect() {
            return reconnect;
        }

        @Override
        public CompletableFuture<DirectoryConnection> accept(PeerSessionListener listener) {
            Negotiation n = new Negotiation(from, listener, null);
            accepted.complete(n);
            return n.future;
        }

        @Override
        public void reject() {
            rejected = true;
        }
    }
}
