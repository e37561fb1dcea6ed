package org.p2pchat.core.signaling;

import java.util.Objects;

/**
 * A peer's answer to our offer.
 *
 * @param from   the address it answered from: usually the one the offer went to, but the web app
 *               answers from the id its Accept registered, and that is who the chat is with
 * @param answer the answer, with the peer's proof if it sent one (not checked yet)
 */
public record PeerAnswer(PeerAddress from, SignedDescription answer) {

    public PeerAnswer {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(answer, "answer");
    }
}
