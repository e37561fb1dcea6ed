package org.p2pchat.client.core.internal;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import org.p2pchat.client.core.ClientEvent;
import org.p2pchat.client.core.Conversation;
import org.p2pchat.client.core.PasteExchange;
import org.p2pchat.core.PeerSession;
import org.p2pchat.core.SessionDescription;
import org.p2pchat.core.SessionException;
import org.p2pchat.core.identity.IdentityService;
import org.p2pchat.core.identity.PublicIdentity;
import org.p2pchat.core.signaling.PasteCodec;
import org.p2pchat.core.signaling.SignalingException;
import org.p2pchat.core.signaling.SignedDescription;

/**
 * A conversation made by copy and paste through a {@code PASTE} method's codec. A pasted
 * description is read and its proof checked before anything uses it: unreadable text or a failed
 * proof is refused with the reason and the exchange stays usable, so the user can paste again; a
 * description without a proof is the web app's (unverified), and the web app gets its own JSON
 * form whatever form was asked for.
 */
final class PasteSession implements PasteExchange {

    private final ChatConversation conversation;
    private final PasteCodec codec;
    private final IdentityService identity;
    private final Proofs proofs;
    /** The session, once an offer was created or pasted. */
    private final AtomicReference<PeerSession> session = new AtomicReference<>();
    private volatile SessionDescription localOffer;
    private volatile boolean done;

    PasteSession(ChatConversation conversation, PasteCodec codec, IdentityService identity, Proofs proofs) {
        this.conversation = conversation;
        this.codec = codec;
        this.identity = identity;
        this.proofs = proofs;
    }

    @Override
    public Conversation conversation() {
        return conversation;
    }

    private PeerSession session() throws SessionException {
        PeerSession s = session.get();
        if (s != null) {
            return s;
        }
        PeerSession created = conversation.newSession();
        if (!session.compareAndSet(null, created)) {
            created.close();
            return session.get();
        }
        conversation.use(created);
        return created;
    }

    @Override
    public CompletableFuture<String> createOffer(PasteCodec.Form form) {
        try {
            return session().createOffer().thenApply(offer -> {
                localOffer = offer;
                return codec.encode(new SignedDescription(offer, identity.prove(offer)), form);
            });
        } catch (SessionException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public void check(String pasted, SessionDescription.Type expected) throws SignalingException {
        codec.decode(pasted, expected);
    }

    /** Reads and checks a pasted description; reports who it is from. */
    private Optional<PublicIdentity> read(SignedDescription d) throws SignalingException {
        Optional<PublicIdentity> proved = proofs.checkPasted(d);
        String kind = d.description().type().wireName();
        conversation.client().post(new ClientEvent.PeerIdentified(conversation, proved, proved
                .map(PeerTrust::signedText)
                .orElse("This " + kind + " is from the web app (it carries no identity proof): the chat will be "
                        + "encrypted but unverified.")));
        return proved;
    }

    @Override
    public CompletableFuture<Void> acceptAnswer(String pasted) {
        SessionDescription offer = localOffer;
        PeerSession s = session.get();
        if (offer == null || s == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("Create the offer first."));
        }
        if (done) {
            return CompletableFuture.failedFuture(new IllegalStateException("The answer was used already."));
        }
        SignedDescription answer;
        Optional<PublicIdentity> proved;
        try {
            answer = codec.decode(pasted, SessionDescription.Type.ANSWER);
            proved = read(answer);
        } catch (SignalingException e) {
            return CompletableFuture.failedFuture(e);
        }
        return s.acceptAnswer(answer.description()).thenRun(() -> {
            done = true;
            // The answer came back: the peer applied our offer, and the path search starts now.
            conversation.negotiatedQuietly(new ChatConversation.Negotiated(s, offer, answer.description()), proved, true);
        });
    }

    @Override
    public CompletableFuture<String> acceptOffer(String pasted, PasteCodec.Form form) {
        if (done) {
            return CompletableFuture.failedFuture(new IllegalStateException("The offer was answered already."));
        }
        SignedDescription offer;
        Optional<PublicIdentity> proved;
        PeerSession s;
        try {
            offer = codec.decode(pasted, SessionDescription.Type.OFFER);
            proved = read(offer);
            s = session();
        } catch (SignalingException | SessionException e) {
            return CompletableFuture.failedFuture(e);
        }
        return s.acceptOffer(offer.description()).whenComplete((answer, error) -> {
            if (error != null && session.compareAndSet(s, null)) {
                s.removeListener(conversation); // not the end of the conversation: the user may paste again
                s.close();
            }
        }).thenApply(answer -> {
            done = true;
            conversation.negotiatedQuietly(new ChatConversation.Negotiated(s, answer, offer.description()), proved, false);
            // The web app reads only its own JSON: its users get that, whatever form was asked.
            PasteCodec.Form shown = proved.isEmpty() ? PasteCodec.Form.BROWSER_JSON : form;
            return codec.encode(new SignedDescription(answer, identity.prove(answer)), shown);
        });
    }
}
