package org.p2pchat.client.core.internal;

import java.util.Optional;

import org.p2pchat.client.core.ClientEvent;
import org.p2pchat.core.ConnectionState;
import org.p2pchat.core.identity.Contact;
import org.p2pchat.core.identity.PublicIdentity;

/**
 * What a conversation knows of its peer and how far to trust it: the name from its join notice,
 * the key its proof verified, whether it runs the web app; trust on first use once both name and
 * key are known (in whichever order they come), and the safety number of each connected session.
 */
final class PeerTrust {

    private final ChatConversation conversation;
    private volatile String name;
    private volatile Optional<PublicIdentity> identity = Optional.empty();
    /** Whether the peer's proof was checked (and {@link #identity} is what it proved). */
    private volatile boolean identityKnown;
    /** The name of a join notice that came before the peer's proof was checked. */
    private volatile String joinedBeforeProof;
    private volatile boolean webApp;
    private volatile boolean safetyShown;
    private volatile String safetyNumber;

    PeerTrust(ChatConversation conversation, String name) {
        this.conversation = conversation;
        this.name = name == null ? "" : name;
    }

    String name() {
        return name;
    }

    Optional<PublicIdentity> identity() {
        return identity;
    }

    boolean webApp() {
        return webApp;
    }

    /** The client the peer named in its join notice: none means the web app. */
    void peerClient(String client) {
        webApp = client.isEmpty();
    }

    Optional<String> safetyNumber() {
        return Optional.ofNullable(safetyNumber);
    }

    /** The peer's proof was checked: it proved {@code proved}, or nothing (the web app). */
    void verified(Optional<PublicIdentity> proved) {
        identity = proved;
        identityKnown = true;
        String joined = joinedBeforeProof;
        if (joined != null) {
            joinedBeforeProof = null;
            meet(joined);
        }
    }

    /** The peer announced its name ("… joined the chat"). */
    void joined(String announced) {
        name = announced;
        if (identityKnown) {
            meet(announced);
        } else {
            joinedBeforeProof = announced; // checked once the proof is
        }
    }

    /** Trust on first use: the key the peer has now, under the name it announced, against the one seen before. */
    private void meet(String announced) {
        Optional<PublicIdentity> key = identity;
        if (key.isEmpty()) {
            return;
        }
        Contact.Status status = conversation.client().identity().meet(announced, key.get());
        String text = switch (status) {
            case NEW -> announced + " is a new contact; their key is remembered.";
            case KNOWN -> announced + " has the same key as before.";
            case CHANGED -> "WARNING: " + announced + "'s identity key has CHANGED since you last talked. This may be "
                    + "someone else using that name. Compare the safety number with " + announced
                    + " over another channel before trusting this chat.";
        };
        conversation.client().post(new ClientEvent.ContactChecked(conversation, announced, status, text));
    }

    /** A new session took over: it has a safety number of its own. */
    void newSession() {
        safetyShown = false;
    }

    /** Reports the safety number of {@code n} once it is connected and the peer verified; once per session. */
    void showSafetyNumber(ChatConversation.Negotiated n) {
        Optional<PublicIdentity> key = identity;
        synchronized (this) {
            if (safetyShown || n == null || key.isEmpty() || n.session().state() != ConnectionState.CONNECTED) {
                return;
            }
            safetyShown = true;
        }
        String number = conversation.client().identity().safetyNumber(key.get(), n.local(), n.remote());
        safetyNumber = number;
        conversation.client().post(new ClientEvent.SafetyNumber(conversation, number));
    }
}
