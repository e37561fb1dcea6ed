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
     * The number two people read to each other to rule out a man in the middle: derived from both
     * identities and both descriptions' DTLS fingerprints, the same on both sides.
     */
    String safetyNumber(PublicIdentity peer, SessionDescription local, SessionDescription remote);

    /** Remembers a peer on first use and says whether its key is the one seen before under that name. */
    Contact.Status meet(String name, PublicIdentity identity);

    List<Contact> contacts();
}
