package org.p2pchat.core.signaling;

import org.osgi.annotation.versioning.ConsumerType;
import org.p2pchat.core.SessionDescription;

/**
 * A provider whose descriptions travel as text a person carries (copy and paste, a message in
 * another app).
 */
@ConsumerType
public interface TextSignalingProvider extends SignalingProvider {

    /** The text forms a description can take. */
    enum Form {
        /** {@code {"type":"offer","sdp":"..."}}, exactly what the browser web app shows and accepts. */
        BROWSER_JSON,
        /** One short line for pasting between our clients. */
        COMPACT
    }

    /** The text for a description and, if given, our identity proof for it. */
    String encode(SignedDescription description, Form form);

    /** The text for a description without identity proof. */
    default String encode(SessionDescription description, Form form) {
        return encode(SignedDescription.unsigned(description), form);
    }

    /**
     * Reads pasted text in any {@link Form}, tolerating surrounding whitespace and line breaks,
     * with the sender's identity proof if it carries one. The proof is not checked here: that is
     * the identity service's job.
     *
     * @param expected the type the current step needs
     * @throws SignalingException with a message saying what is wrong and what to paste instead
     */
    SignedDescription decodeSigned(String text, SessionDescription.Type expected) throws SignalingException;

    /** {@link #decodeSigned} without the proof. */
    default SessionDescription decode(String text, SessionDescription.Type expected) throws SignalingException {
        return decodeSigned(text, expected).description();
    }
}
