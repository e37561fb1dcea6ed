package org.p2pchat.client.core.internal;

import java.lang.System.Logger.Level;
import java.util.Optional;

import org.p2pchat.core.identity.DtlsFingerprints;
import org.p2pchat.core.identity.IdentityException;
import org.p2pchat.core.identity.IdentityService;
import org.p2pchat.core.identity.PublicIdentity;
import org.p2pchat.core.signaling.PeerAddress;
import org.p2pchat.core.signaling.SignalingException;
import org.p2pchat.core.signaling.SignedDescription;

/**
 * The checks of a peer's identity proof, once for every method: an address bound to an identity
 * needs a proof by that key, a conversation that verified a key before needs the same key, a
 * proof that fails means the description was changed on the way. A description without a proof
 * is the web app's: accepted where nothing asks for one, as unverified.
 */
final class Proofs {

    private static final System.Logger LOG = System.getLogger(Proofs.class.getName());
    static final String MITM = " (man in the middle?)";

    private final IdentityService identity;

    Proofs(IdentityService identity) {
        this.identity = identity;
    }

    /**
     * The identity a peer's answer to our offer proves.
     *
     * @param to    the address our offer went to
     * @param from  the address the answer came from (the web app may answer from a new id)
     * @param known the key the conversation verified before (a reconnection), if any
     * @return the verified identity; empty for the web app
     * @throws SignalingException saying why the answer is refused
     */
    Optional<PublicIdentity> checkAnswer(PeerAddress to, PeerAddress from, SignedDescription answer,
            Optional<PublicIdentity> known) throws SignalingException {
        String who = from.shown();
        String refused = "Refused the answer from " + who + ": ";
        Optional<PublicIdentity> bound = from.identity().or(to::identity);
        if (answer.proof() == null) {
            if (bound.isPresent()) {
                throw new SignalingException(refused + "it carries no identity proof, which every client on this "
                        + "service sends. Someone between you may have replaced it" + MITM + ".");
            }
            if (known.isPresent()) {
                throw new SignalingException(refused + "it carries no identity proof, but " + who + " proved its "
                        + "identity before. Someone between you may have replaced it" + MITM + ".");
            }
            return Optional.empty();
        }
        PublicIdentity signer;
        try {
            signer = identity.verify(answer.description(), answer.proof());
        } catch (IdentityException e) {
            LOG.log(Level.INFO, "the answer from {0} failed its identity check: {1}", from.id(), e.getMessage());
            throw new SignalingException(refused + "it failed the identity check, so it was changed or forged on the "
                    + "way" + MITM + ". The connection was not made.", e);
        }
        if (bound.isPresent() && !bound.get().equals(signer)) {
            throw new SignalingException(refused + "it is signed by another identity than " + who + "'s. Someone "
                    + "between you may have replaced it" + MITM + ".");
        }
        if (known.isPresent() && !known.get().equals(signer)) {
            throw new SignalingException(refused + "it is signed by another identity than last time. Someone "
                    + "between you may have replaced it" + MITM + ".");
        }
        return Optional.of(signer);
    }

    /**
     * The identity a peer's offer proves.
     *
     * @return the verified identity; empty for the web app
     * @throws SignalingException whose message is the reason told to the sender ("your offer ...")
     */
    Optional<PublicIdentity> checkOffer(PeerAddress from, SignedDescription offer) throws SignalingException {
        if (offer.proof() == null) {
            if (from.identity().isPresent()) {
                throw new SignalingException("your offer arrived without an identity proof, which every client "
                        + "on this service sends" + MITM);
            }
            if (DtlsFingerprints.of(offer.description().sdp()).isEmpty()) {
                throw new SignalingException("your offer has no DTLS fingerprint, so the connection would not be "
                        + "encrypted");
            }
            return Optional.empty();
        }
        PublicIdentity signer;
        try {
            signer = identity.verify(offer.description(), offer.proof());
        } catch (IdentityException e) {
            LOG.log(Level.INFO, "the offer from {0} failed its identity check: {1}", from.id(), e.getMessage());
            throw new SignalingException("your offer failed the identity check, so it was changed or forged on the way"
                    + MITM, e);
        }
        if (from.identity().isPresent() && !from.identity().get().equals(signer)) {
            throw new SignalingException("your offer is signed by another identity than the sender's" + MITM);
        }
        return Optional.of(signer);
    }

    /**
     * A pasted description's proof: none is the web app's (unverified); one that fails is refused
     * so the user can paste again.
     *
     * @throws SignalingException with the identity service's reason
     */
    Optional<PublicIdentity> checkPasted(SignedDescription pasted) throws SignalingException {
        if (pasted.proof() == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(identity.verify(pasted.description(), pasted.proof()));
        } catch (IdentityException e) {
            throw new SignalingException(e.getMessage(), e);
        }
    }
}
