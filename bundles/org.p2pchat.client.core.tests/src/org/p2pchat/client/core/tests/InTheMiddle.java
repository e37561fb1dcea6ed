package org.p2pchat.client.core.tests;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

import org.p2pchat.core.IceCandidate;
import org.p2pchat.core.IceServer;
import org.p2pchat.core.identity.PublicIdentity;
import org.p2pchat.core.settings.SettingsSection;
import org.p2pchat.core.signaling.ConnectionProvider;
import org.p2pchat.core.signaling.InboundOffer;
import org.p2pchat.core.signaling.OutboundExchange;
import org.p2pchat.core.signaling.PasteCodec;
import org.p2pchat.core.signaling.PeerAddress;
import org.p2pchat.core.signaling.PeerAnswer;
import org.p2pchat.core.signaling.ProviderCallback;
import org.p2pchat.core.signaling.ProviderCapability;
import org.p2pchat.core.signaling.ProviderContext;
import org.p2pchat.core.signaling.ProviderLink;
import org.p2pchat.core.signaling.ProviderStatus;
import org.p2pchat.core.signaling.SignedDescription;

/**
 * A real provider with someone in between: every description it carries from this side (our
 * offers, our answers) passes {@link #tamper} first, as a man in the middle would change it. By
 * default it changes nothing; it also notes whether each offer was marked as a reconnection, and
 * can show addresses unbound from their keys.
 */
final class InTheMiddle implements ConnectionProvider {

    private final ConnectionProvider real;
    volatile UnaryOperator<SignedDescription> tamper = UnaryOperator.identity();
    final List<Boolean> reconnectFlags = new CopyOnWriteArrayList<>();
    /** Marks every offer as a reconnection, as anyone can. */
    volatile boolean markAsReconnect;
    /**
     * Shows every address as bound to no identity, as the web app's legacy API gives them: then
     * only the proofs themselves, and the key a conversation verified before, protect the peer.
     */
    volatile boolean unbound;
    /** STUN/TURN servers this method supplies besides the real one's, as a relay provider does (ICE_SERVERS). */
    volatile List<IceServer> iceServers = List.of();

    /** {@code address} as this side is shown it. */
    PeerAddress shown(PeerAddress address) {
        return unbound ? new PeerAddress(address.provider(), address.id(), address.name(), address.scope(),
                Optional.empty(), address.lastSeen()) : address;
    }

    InTheMiddle(ConnectionProvider real) {
        this.real = real;
    }

    @Override
    public String id() {
        return real.id();
    }

    @Override
    public String displayName() {
        return real.displayName();
    }

    @Override
    public String description() {
        return real.description();
    }

    @Override
    public Set<ProviderCapability> capabilities() {
        if (iceServers.isEmpty()) {
            return real.capabilities();
        }
        Set<ProviderCapability> more = java.util.EnumSet.of(ProviderCapability.ICE_SERVERS);
        more.addAll(real.capabilities());
        return more;
    }

    @Override
    public ProviderLink start(ProviderContext context) {
        ProviderCallback callback = context.callback();
        ProviderCallback between = new ProviderCallback() {
            @Override
            public void offered(InboundOffer offer) {
                callback.offered(new TamperedAnswers(offer));
            }

            @Override
            public void withdrawn(InboundOffer offer) {
                callback.withdrawn(new TamperedAnswers(offer));
            }

            @Override
            public void statusChanged(List<ProviderStatus> status) {
                callback.statusChanged(status);
            }
        };
        ProviderLink link = real.start(new ProviderContext() {
            @Override
            public PublicIdentity self() {
                return context.self();
            }

            @Override
            public String displayName() {
                return context.displayName();
            }

            @Override
            public boolean listed() {
                return context.listed();
            }

            @Override
            public List<URI> services() {
                return context.services();
            }

            @Override
            public SettingsSection settings() {
                return context.settings();
            }

            @Override
            public byte[] sign(String purpose, byte[] message) {
                return context.sign(purpose, message);
            }

            @Override
            public ProviderCallback callback() {
                return between;
            }
        });
        return new ProviderLink() {
            @Override
            public List<ProviderStatus> status() {
                return link.status();
            }

            @Override
            public CompletableFuture<List<PeerAddress>> peers() {
                return link.peers().thenApply(all -> all.stream().map(InTheMiddle.this::shown).toList());
            }

            @Override
            public Optional<PeerAddress> address(String text) {
                return link.address(text).map(InTheMiddle.this::shown);
            }

            @Override
            public OutboundExchange send(PeerAddress to, SignedDescription offer, boolean reconnect) {
                reconnectFlags.add(reconnect);
                OutboundExchange exchange = link.send(to, tamper.apply(offer), reconnect || markAsReconnect);
                return new OutboundExchange() {
                    @Override
                    public CompletableFuture<PeerAnswer> answer() {
                        CompletableFuture<PeerAnswer> real = exchange.answer();
                        CompletableFuture<PeerAnswer> seen = real.thenApply(a -> new PeerAnswer(shown(a.from()),
                                a.answer()));
                        seen.whenComplete((a, error) -> {
                            if (seen.isCancelled()) {
                                real.cancel(false); // the client withdrew its offer
                            }
                        });
                        return seen;
                    }

                    @Override
                    public void candidates(Consumer<IceCandidate> sink) {
                        exchange.candidates(sink);
                    }
                };
            }

            @Override
            public Optional<PasteCodec> paste() {
                return link.paste();
            }

            @Override
            public List<IceServer> iceServers() {
                List<IceServer> all = new java.util.ArrayList<>(link.iceServers());
                all.addAll(iceServers);
                return all;
            }

            @Override
            public void close() {
                link.close();
            }
        };
    }

    /** An offer whose answer is changed on its way back. */
    private final class TamperedAnswers implements InboundOffer {
        private final InboundOffer real;

        TamperedAnswers(InboundOffer real) {
            this.real = real;
        }

        @Override
        public PeerAddress from() {
            return shown(real.from());
        }

        @Override
        public SignedDescription offer() {
            return real.offer();
        }

        @Override
        public boolean reconnect() {
            return real.reconnect();
        }

        @Override
        public void candidates(Consumer<IceCandidate> sink) {
            real.candidates(sink);
        }

        @Override
        public CompletableFuture<Void> answer(SignedDescription answer) {
            return real.answer(tamper.apply(answer));
        }

        @Override
        public void reject(String reason) {
            real.reject(reason);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof TamperedAnswers t && t.real.equals(real);
        }

        @Override
        public int hashCode() {
            return real.hashCode();
        }
    }
}
