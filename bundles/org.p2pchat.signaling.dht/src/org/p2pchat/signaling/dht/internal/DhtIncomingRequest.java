package org.p2pchat.signaling.dht.internal;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import org.p2pchat.core.IceCandidate;
import org.p2pchat.core.PeerSession;
import org.p2pchat.core.PeerSessionListener;
import org.p2pchat.core.SessionException;
import org.p2pchat.core.identity.PublicIdentity;
import org.p2pchat.core.signaling.DirectoryConnection;
import org.p2pchat.core.signaling.DirectoryPeer;
import org.p2pchat.core.signaling.IncomingRequest;
import org.p2pchat.core.signaling.SignalingException;
import org.p2pchat.core.signaling.SignedDescription;

/**
 * An offer that reached us and passed its checks, waiting for the user. Answered at most once;
 * candidates the peer trickles meanwhile are kept until the session exists.
 */
final class DhtIncomingRequest implements IncomingRequest, DhtMembership.CandidateSink {

    private static final System.Logger LOG = System.getLogger(DhtIncomingRequest.class.getName());
    /** A browser gathers a handful of candidates; more than this is not a browser. */
    private static final int MAX_EARLY_CANDIDATES = 64;

    private enum State { PENDING, ACCEPTED, REJECTED, WITHDRAWN }

    private final DhtMembership membership;
    final ServiceLink link;
    final RendezvousApi api;
    final DhtMembership.PeerKey key;
    private final DirectoryPeer from;
    final SignedDescription offer;
    private final Optional<PublicIdentity> identity;
    private final boolean reconnect;
    private final AtomicReference<State> state = new AtomicReference<>(State.PENDING);
    private final List<IceCandidate> early = new ArrayList<>();
    private PeerSession session;

    DhtIncomingRequest(DhtMembership membership, ServiceLink link, RendezvousApi api, DhtMembership.PeerKey key,
            DirectoryPeer from, SignedDescription offer, Optional<PublicIdentity> identity, boolean reconnect) {
        this.membership = membership;
        this.link = link;
        this.api = api;
        this.key = key;
        this.from = from;
        this.offer = offer;
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
        Objects.requireNonNull(listener, "listener");
        if (!state.compareAndSet(State.PENDING, State.ACCEPTED)) {
            return CompletableFuture.failedFuture(new SignalingException(switch (state.get()) {
                case ACCEPTED -> "This request was already accepted.";
                case REJECTED -> "This request was already declined.";
                default -> DhtMembership.shown(from) + " withdrew the request, or it expired.";
            }));
        }
        return membership.accept(this, listener);
    }

    @Override
    public void reject() {
        if (state.compareAndSet(State.PENDING, State.REJECTED)) {
            membership.rejected(this);
        }
    }

    /** Marks the request gone unanswered; false if it was already answered or gone. */
    boolean withdraw() {
        return state.compareAndSet(State.PENDING, State.WITHDRAWN);
    }

    @Override
    public synchronized void add(IceCandidate candidate) throws SessionException {
        if (session != null) {
            session.addRemoteCandidate(candidate);
        } else if (early.size() < MAX_EARLY_CANDIDATES) {
            early.add(candidate);
        }
    }

    /** From now on candidates go to {@code s}, the kept ones first. */
    synchronized void attach(PeerSession s) {
        session = s;
        for (IceCandidate c : early) {
            try {
                s.addRemoteCandidate(c);
            } catch (SessionException e) {
                LOG.log(Level.INFO, "{0}: dropped a candidate from {1}: {2}", link.service, from.id(), e.getMessage());
            }
        }
        early.clear();
    }

    @Override
    public String toString() {
        return "request from " + DhtMembership.shown(from) + " on " + link.service + (reconnect ? " (reconnect)" : "");
    }
}
