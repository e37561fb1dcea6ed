package org.p2pchat.core.signaling;

import org.osgi.annotation.versioning.ConsumerType;
import org.p2pchat.core.SessionDescription;

/** The text a person carries between peers for a description (a {@link ProviderCapability#PASTE} provider's). */
@ConsumerType
public interface PasteCodec {

    /** The text forms a description can take. */
    enum Form {
        /** {@code {"type":"offer","sdp":"..."}}, exactly what the browser web app shows and accepts. */
        BROWSER_JSON,
        /** One short line for pasting between our clients. */
        COMPACT
    }

    /** The text for a description and, if it has one, our identity proof. */
    String encode(SignedDescription description, Form form);

    /**
     * Reads pasted text in any {@link Form}, forgiving what mail and chat apps do to it, with the
     * sender's proof if it carries one (not checked here).
     *
     * @param expected the type the current step needs
     * @throws SignalingException saying what is wrong and what to paste instead
     */
    SignedDescription decode(String text, SessionDescription.Type expected) throws SignalingException;
}
