package org.p2pchat.core.signaling;

import java.util.Set;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A way to find peers and to carry connection descriptions to them, registered as an OSGi
 * service: the manual exchange, the rendezvous ("DHT") services, the local network, a relay, or a
 * third party's. In the spirit of Briar's transport plug-ins, a provider is narrow: it declares
 * what it can do ({@link #capabilities()}), finds peers as opaque {@link PeerAddress}es and carries
 * signed descriptions both ways. The client layer, not the provider, creates the peer sessions,
 * signs our descriptions, checks the peer's proofs and decides what to show the user; so a new
 * provider is a few hundred lines and no client names one.
 * <p>
 * One provider service serves any number of clients (two profiles in one test framework, say):
 * each {@link #start} gives a {@link ProviderLink} of its own.
 */
@ConsumerType
public interface ConnectionProvider {

    /** Stable identifier, e.g. {@code manual}: settings are stored under it, {@code --method} selects it. */
    String id();

    /** Short name for a person, e.g. "Manual exchange". */
    String displayName();

    /** A paragraph of help: how this method works and what it reveals to whom. */
    String description();

    /** What this provider can do; the client offers exactly these. */
    Set<ProviderCapability> capabilities();

    /**
     * Starts this provider for one client; it runs until the link is closed. Never blocks on the
     * network: registrations and the like go on in the background and report through
     * {@link ProviderContext#callback()}.
     */
    ProviderLink start(ProviderContext context);
}
