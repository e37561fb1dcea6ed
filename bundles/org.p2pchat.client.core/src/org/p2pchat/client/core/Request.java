package org.p2pchat.client.core;

import java.util.Objects;
import java.util.Optional;

import org.p2pchat.core.identity.PublicIdentity;
import org.p2pchat.core.signaling.PeerAddress;

/**
 * Someone asks to connect, for the user to accept ({@link ChatClient#accept}) or reject. Its proof
 * is checked already: a request whose proof failed is refused by the client and never shown.
 *
 * @param id        unique within the client
 * @param from      who asks, as the provider knows them
 * @param identity  the requester's verified identity; empty if it proves none (the web app)
 * @param reconnect whether it says it re-establishes a lost connection (not one this client
 *                  recognises: those are accepted without asking)
 * @param warning   a sentence to show loudly, e.g. a contact's name with another key or no proof
 */
public record Request(String id, PeerAddress from, Optional<PublicIdentity> identity, boolean reconnect,
        Optional<String> warning) {

    public Request {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(from, "from");
        identity = identity == null ? Optional.empty() : identity;
        warning = warning == null ? Optional.empty() : warning;
    }
}
