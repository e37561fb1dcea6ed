package org.p2pchat.core.signaling;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

import org.p2pchat.core.identity.PublicIdentity;

/**
 * A peer as a provider can reach it. The client layer reads only what is declared here; the
 * rest means something to the provider alone.
 *
 * @param provider the id of the provider that found it
 * @param id       its address within the provider (an identity key, a web app id, a LAN endpoint)
 * @param name     the name it goes by there, chosen by the peer, not unique, not verified; may be empty
 * @param scope    where the provider reaches it (a service's URL and API, "local network"); the same
 *                 {@code id} in another scope is another address; shown to people
 * @param identity the identity the address is bound to, if any (on an authenticated service the
 *                 id is the key): a description from this address must then carry a proof by
 *                 that key. Empty: a proof is optional (the web app sends none) and an unproved
 *                 peer is shown as unverified
 * @param lastSeen when the provider last heard of it; {@code null} if it cannot say
 */
public record PeerAddress(String provider, String id, String name, String scope, Optional<PublicIdentity> identity,
        Instant lastSeen) {

    public PeerAddress {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(scope, "scope");
        name = name == null ? "" : name;
        identity = identity == null ? Optional.empty() : identity;
    }

    /** The name if it has one, else the id: how a person recognises the peer in a list. */
    public String shown() {
        return name.isBlank() ? id : name;
    }

    /** Whether {@code other} is the same address (same provider, scope, id and binding), whatever its name. */
    public boolean sameAddress(PeerAddress other) {
        return other != null && provider.equals(other.provider) && scope.equals(other.scope) && id.equals(other.id)
                && identity.isPresent() == other.identity.isPresent();
    }
}
