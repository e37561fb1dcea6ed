package org.p2pchat.client.core.internal;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.p2pchat.core.ConnectionState;
import org.p2pchat.core.IceCandidate;
import org.p2pchat.core.IceServer;
import org.p2pchat.core.PeerSession;
import org.p2pchat.core.SessionDescription;
import org.p2pchat.core.SessionException;
import org.p2pchat.core.identity.DtlsFingerprints;
import org.p2pchat.core.identity.PublicIdentity;
import org.p2pchat.core.signaling.InboundOffer;
import org.p2pchat.core.signaling.OutboundExchange;
import org.p2pchat.core.signaling.PeerAddress;
import org.p2pchat.core.signaling.ProviderLink;
import org.p2pchat.core.signaling.SignalingException;
import org.p2pchat.core.signaling.SignedDescription;

/**
 * Which STUN/TURN servers a conversation's sessions use, and when ICE is restarted: the policy of
 * the client, the transport only does what it is told ({@link PeerSession#restartIce},
 * {@link PeerSession#acceptRestart}).
 * <ul>
 * <li>{@link Mode#STAGED} (as the web app): a session starts with the STUN servers only; if it has
 * not connected {@link #turnAfterMillis()} after the descriptions were exchanged, or its ICE failed,
 * the side that offered restarts ICE with every server (TURN added) through the connection method.</li>
 * <li>{@link Mode#ALL}: every server from the start.</li>
 * </ul>
 * In both, a connected session whose path stops working (a network change, a dead TURN server) is
 * restarted the same way, with every server, before the conversation falls back to a whole new
 * connection ({@link ReconnectPolicy}); the channels stay, so nothing sent is lost. The peer's
 * client applies a restart offer to the session it belongs to (same DTLS certificate, same key).
 * The servers are those of the settings (or the options) and of the methods that supply them.
 */
final class IceStrategy {

    private static final System.Logger LOG = System.getLogger(IceStrategy.class.getName());

    /** {@code staged} or {@code all}; see {@link Mode}. */
    static final String MODE_PROPERTY = "p2pchat.client.iceStrategy";
    /** How long a staged session tries without TURN. */
    static final String TURN_AFTER_PROPERTY = "p2pchat.client.turnAfterMillis";
    private static final long TURN_AFTER_MILLIS = 2000;
    /** How long one ICE restart may take from our offer to its answer being applied. */
    static final long RESTART_TIMEOUT_MILLIS = 15_000;

    enum Mode {
        STAGED, ALL
    }

    static Mode mode() {
        String value = System.getProperty(MODE_PROPERTY, "all");
        return "staged".equals(value.toLowerCase(Locale.ROOT)) ? Mode.STAGED : Mode.ALL;
    }

    static long turnAfterMillis() {
        return Long.getLong(TURN_AFTER_PROPERTY, TURN_AFTER_MILLIS);
    }

    /** The servers a new session starts with, out of {@code all}. */
    static List<IceServer> first(List<IceServer> all) {
        return mode() == Mode.ALL ? all : all.stream().filter(s -> !s.isTurn()).toList();
    }

    private final ChatConversation conversation;
    /** The session whose restart is under way, if any: one at a time. */
    private final AtomicBoolean restarting = new AtomicBoolean();
    /** Restarts since the session last connected: a path that never comes back is given up, not restarted forever. */
    private final java.util.concurrent.atomic.AtomicInteger restartsSinceConnected = new java.util.concurrent.atomic.AtomicInteger();
    /** At most this many restarts between two connected states (staged: adding TURN, then one more). */
    static final int MAX_RESTARTS = 2;

    IceStrategy(ChatConversation conversation) {
        this.conversation = conversation;
    }

    private DefaultChatClient client() {
        return conversation.client();
    }

    /**
     * Whether this side restarts ICE: the side that offered, through a method that carries offers, to
     * a peer that proved its key (our client: the web app would take a restart offer for a new
     * connection).
     */
    private boolean restarts() {
        return conversation.asks() && conversation.peer().isPresent() && conversation.peerIdentity().isPresent()
                && client().canReconnect(conversation.methodId());
    }

    /**
     * The descriptions of {@code s} were exchanged. Staged: if it has not connected in time, TURN is
     * added by an ICE restart.
     */
    void negotiated(PeerSession s) {
        if (mode() != Mode.STAGED || !restarts() || client().iceServers().stream().noneMatch(IceServer::isTurn)) {
            return;
        }
        client().after(turnAfterMillis()).execute(() -> {
            if (conversation.isCurrent(s) && s.state() != ConnectionState.CONNECTED && !conversation.isEnded()) {
                restart(s, "no path after " + turnAfterMillis() + " ms without TURN");
            }
        });
    }

    /**
     * The connection of {@code s} stopped working or failed: restarts ICE with every server if this
     * side restarts; true if a restart is under way (the caller waits for it).
     */
    boolean interrupted(PeerSession s, String why) {
        if (!restarts()) {
            return false;
        }
        return restart(s, why) || restarting.get();
    }

    /** The session connected (again). */
    void connected() {
        restartsSinceConnected.set(0);
    }

    /** Starts an ICE restart of {@code s}; false if one is under way already or none can be made. */
    private boolean restart(PeerSession s, String why) {
        if (!restarting.compareAndSet(false, true)) {
            return false;
        }
        if (restartsSinceConnected.incrementAndGet() > MAX_RESTARTS) {
            restarting.set(false);
            return false;
        }
        LOG.log(Level.INFO, "conversation {0}: ICE restart ({1})", conversation.id(), why);
        ProviderLink link;
        PeerAddress peer;
        try {
            link = client().links().onlineLink(conversation.methodId());
            peer = conversation.peer().orElseThrow();
        } catch (RuntimeException e) {
            restarting.set(false);
            return false;
        }
        Optional<PublicIdentity> known = conversation.peerIdentity();
        CompletableFuture<Void> done = s.restartIce(client().iceServers()).thenCompose(offer -> {
            OutboundExchange exchange = link.send(peer, new SignedDescription(offer, client().identity().prove(offer)), true);
            exchange.candidates(sink(s));
            Runnable withdraw = () -> exchange.answer().cancel(false);
            conversation.onEnd(withdraw);
            return exchange.answer().thenCompose(answer -> {
                conversation.removeOnEnd(withdraw);
                try {
                    client().proofs().checkAnswer(peer, answer.from(), answer.answer(), known);
                    // Only the session we restart can answer a restart: the same DTLS certificate.
                    List<String> now = DtlsFingerprints.of(answer.answer().description().sdp());
                    if (!conversation.remoteFingerprintsOf(s).filter(now::equals).isPresent()) {
                        throw new SignalingException("the answer to the ICE restart comes from another session");
                    }
                } catch (SignalingException e) {
                    return CompletableFuture.failedFuture(e);
                }
                return s.acceptAnswer(answer.answer().description());
            });
        }).orTimeout(RESTART_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        done.whenComplete((ok, error) -> {
            restarting.set(false);
            if (error != null) {
                LOG.log(Level.INFO, "conversation {0}: the ICE restart did not go through: {1}", conversation.id(),
                        DefaultChatClient.message(error));
                // Nothing came of it: what the session does next (fail, or come back) decides.
                if (conversation.isCurrent(s) && s.state() == ConnectionState.FAILED) {
                    conversation.restartFailed(s);
                }
            }
        });
        return true;
    }

    /**
     * Whether {@code offer} from {@code from}, proving {@code identity}, restarts ICE of our current
     * session {@code current} (whose remote description was {@code remote}): the same address, the
     * same key, and the same DTLS certificate, which only the peer of that session holds.
     */
    static boolean restarts(SessionDescription remote, InboundOffer offer, Optional<PublicIdentity> identity,
            Optional<PublicIdentity> known, PeerAddress peer) {
        List<String> fingerprints = DtlsFingerprints.of(offer.offer().description().sdp());
        return peer != null && peer.sameAddress(offer.from()) && known.equals(identity) && !fingerprints.isEmpty()
                && fingerprints.equals(DtlsFingerprints.of(remote.sdp()));
    }

    /**
     * Whether {@code description} updates a session made before (an ICE restart's offer): its
     * {@code o=} line's version is above the first one libwebrtc gives (2). A client that has no
     * such session (it was restarted meanwhile) cannot apply it and must not take it for a new
     * connection.
     */
    static boolean updatesASession(SessionDescription description) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^o=\\S+ \\S+ (\\d+) ").matcher(description.sdp());
        try {
            return m.find() && Long.parseLong(m.group(1)) > 2;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Answers the peer's restart offer on {@code s} with every server. */
    void acceptRestart(PeerSession s, InboundOffer offer) {
        offer.candidates(sink(s));
        s.acceptRestart(offer.offer().description(), client().iceServers())
                .thenCompose(answer -> offer.answer(new SignedDescription(answer, client().identity().prove(answer))))
                .whenComplete((ok, error) -> {
                    if (error != null) {
                        LOG.log(Level.INFO, "conversation {0}: could not answer the peer's ICE restart: {1}",
                                conversation.id(), DefaultChatClient.message(error));
                        offer.reject(null);
                    }
                });
    }

    private static java.util.function.Consumer<IceCandidate> sink(PeerSession session) {
        return candidate -> {
            try {
                session.addRemoteCandidate(candidate);
            } catch (SessionException | RuntimeException e) {
                LOG.log(Level.INFO, "a trickled candidate was refused: {0}", e.getMessage());
            }
        };
    }
}
