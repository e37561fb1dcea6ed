package org.p2pchat.core.identity;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;
import org.p2pchat.core.SessionDescription;

/** This profile's identity, and checking peers' identities; an OSGi service. */
@ProviderType
public interface IdentityService {

    /** This profile's public identity (created on first start). */
    PublicIdentity self();

    /** A proof for a description we produce. */
    IdentityProof prove(SessionDescription description);

    /**
     * Signs {@code context + "\n" + message} with this profile's key, for a plug-in's own purpose
     * (a request to a rendezvous service). The contexts of identity proofs and safety numbers are
     * refused, so nothing signed here can pass as a proof for a description.
     *
     * @param context names the purpose, e.g. {@code p2pchat-rendezvous-v2}; starts with {@code p2pchat-}
     * @return the Ed25519 signature (64 bytes)
     * @throws IllegalArgumentException for a reserved or malformed context
     */
    byte[] sign(String context, byte[] message);

    /**
     * Checks a peer's proof for the description it came with.
     *
     * @return the peer's identity
     * @throws IdentityException if the signature does not match the description's DTLS
     *                           fingerprints, the description has none, or the nonce was seen before
     */
    PublicIdentity verify(SessionDescription description, IdentityProof proof) throws IdentityException;

    /**
     * The number two people compare (read to each other, over another channel) to rule out a man in
     * the middle: 60 digits in twelve groups of five, derived from the two identity keys only, so
     * both sides see the same number on every connection and after restarts, and it changes only
     * when one of the keys does. Half of the digits are each key's own (an iterated SHA-512 of it),
     * the lower half first.
     *
     * @since 1.1
     */
    String safetyNumber(PublicIdentity peer);

    /**
     * A number of one connection: derived from both identities and both descriptions' DTLS
     * fingerprints.
     *
     * @deprecated it changes on every connection, so people cannot keep it as verified; the proofs
     *             ({@link #verify}) bind a connection's DTLS fingerprints to the key, and
     *             {@link #safetyNumber(PublicIdentity)} is the number people compare.
     */
    @Deprecated(since = "1.1")
    String safetyNumber(PublicIdentity peer, SessionDescription local, SessionDescription remote);

    /** Remembers a peer on first use and says whether its key is the one seen before under that name. */
    Contact.Status meet(String name, PublicIdentity identity);

    /**
     * The person accepted {@code identity} as the key of the contact {@code name} (after a
     * {@link Contact.Status#CHANGED} key): {@link #meet} says {@link Contact.Status#KNOWN} for it from
     * now on. A name not met before is remembered with it.
     *
     * @since 1.1
     */
    void remember(String name, PublicIdentity identity);

    List<Contact> contacts();
}
