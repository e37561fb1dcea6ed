package org.p2pchat.core.signaling;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * What a provider tells the client layer (Briar's {@code PluginCallback}). Implemented by the
 * client layer; the provider may call it from any thread and must not hold its own locks while
 * doing so.
 */
@ProviderType
public interface ProviderCallback {

    /**
     * A peer asks to connect. The client layer checks the offer's proof against
     * {@link PeerAddress#identity()}, then asks its user or, for a reconnection it recognises,
     * answers by itself; it may also {@link InboundOffer#reject reject} at once with a reason.
     */
    void offered(InboundOffer offer);

    /** An offer that was offered went away unanswered (the requester gave up, or it expired). */
    void withdrawn(InboundOffer offer);

    /** The provider's standing changed (registered, unreachable, re-registered after a restart). */
    void statusChanged(List<ProviderStatus> status);

    /** The peers a {@link ProviderCapability#SERVERLESS} provider sees changed; ask {@link ProviderLink#peers()}. */
    default void peersChanged() {
    }
}
