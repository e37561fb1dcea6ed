package org.p2pchat.client.core;

import java.util.concurrent.CompletableFuture;

import org.osgi.annotation.versioning.ProviderType;
import org.p2pchat.core.SessionDescription;
import org.p2pchat.core.signaling.PasteCodec;
import org.p2pchat.core.signaling.SignalingException;

/**
 * A conversation made by copy and paste: one side creates an offer, the other pastes it and gets
 * an answer to send back, which the first pastes. Our descriptions carry our identity proof; a
 * pasted one is checked (a failed proof is refused and the user may paste again, a missing one
 * means the web app: unverified).
 */
@ProviderType
public interface PasteExchange {

    /** The conversation this exchange makes; it reports progress as any other. */
    Conversation conversation();

    /** Offerer: our offer as text in {@code form}. */
    CompletableFuture<String> createOffer(PasteCodec.Form form);

    /**
     * Whether {@code pasted} reads as a description of {@code expected} type, without using it:
     * for a view that gathers a paste line by line.
     *
     * @throws SignalingException saying what is wrong and what to paste instead
     */
    void check(String pasted, SessionDescription.Type expected) throws SignalingException;

    /**
     * Offerer: uses the peer's pasted answer. Fails with a reason (unreadable, wrong type, failed
     * proof); the exchange stays usable, so the user can paste again.
     */
    CompletableFuture<Void> acceptAnswer(String pasted);

    /**
     * Answerer: uses the peer's pasted offer; completes with our answer as text, in {@code form}
     * for our clients and in the web app's own form for the web app (it reads no other). Fails as
     * {@link #acceptAnswer}.
     */
    CompletableFuture<String> acceptOffer(String pasted, PasteCodec.Form form);
}
