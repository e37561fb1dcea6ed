package org.p2pchat.core.signaling;

import java.util.Objects;

/**
 * A provider's standing in one place it works through (one rendezvous service, the local network).
 *
 * @param scope  the place, as in {@link PeerAddress#scope()}
 * @param state  where the provider is with it
 * @param ourId  our address there once reachable, else empty
 * @param detail a sentence for a person (what is wrong, which API), may be empty
 */
public record ProviderStatus(String scope, State state, String ourId, String detail) {

    public enum State {
        /** Starting (registering for the first time). */
        CONNECTING,
        /** Peers can reach us here. */
        ONLINE,
        /** Not answering or answering with errors; retried by itself. */
        UNREACHABLE,
        /** Stopped. */
        CLOSED
    }

    public ProviderStatus {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(state, "state");
        ourId = ourId == null ? "" : ourId;
        detail = detail == null ? "" : detail;
    }
}
