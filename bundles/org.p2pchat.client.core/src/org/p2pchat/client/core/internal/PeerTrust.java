package org.p2pchat.client.core.internal;

import java.util.Optional;

import org.p2pchat.client.core.ClientEvent;
import org.p2pchat.client.core.Verification;
import org.p2pchat.core.ConnectionState;
import org.p2pchat.core.identity.Contact;
import org.p2pchat.core.identity.PublicIdentity;
import org.p2pchat.core.text.DisplayNames;
import org.p2pchat.history.ConversationSummary;
import org.p2pchat.history.MessageHistory;

/**
 * What a conversation knows of its peer and how far to trust it: the name from its join notice,
 * the key its proof verified, whether it runs the web app; trust on first use once both name and
 * key are known (in whichever order they come); the safety number of the two keys, and whether
 * the person verified the key (the mark kept with the key's conversation in the history), as
 * Signal does: not verified until marked, and a contact's changed key clears the mark loudly.
 */
final class PeerTrust {

    private final ChatConversation conversation;
    private volatile String name;
    private volatile Optional<PublicIdentity> identity = Optional.empty();
    /** Whether the peer's proof was checked and its place in the history known. */
    private boolean identityKnown;
    /** The name of a join notice that came before the peer's proof was checked. */
    private volatile String joinedBeforeProof;
    private volatile boolean webApp;
    private volatile boolean safetyShown;
    private volatile String safetyNumber;
    /** The history's conversation of the peer's key, where the person's mark is kept. */
    private volatile String historyId;
    private volatile boolean marked;
    /** The name the peer's key changed under, until the person accepts the new key. */
    private volatile String changedUnder;

    PeerTrust(ChatConversation conversation, String name) {
        this.conversation = conversation;
        this.name = name == null ? "" : name;
    }

    /**
     * What a checked proof says: the connection belongs to the key (its DTLS fingerprints are
     * signed by it); who holds the key is for the safety number to tell.
     */
    static String signedText(PublicIdentity key) {
        return "Signed by the peer's identity key " + key.fingerprint() + ": this connection belongs to that key.";
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

    Verification verification() {
        if (identity.isEmpty()) {
            return Verification.UNSIGNED;
        }
        if (changedUnder != null) {
            return Verification.KEY_CHANGED;
        }
        return marked ? Verification.VERIFIED : Verification.NOT_VERIFIED;
    }

    /** The peer's proof was checked: it proved {@code proved}, or nothing (the web app). */
    void verified(Optional<PublicIdentity> proved) {
        identity = proved;
    }

    /**
     * The conversation has its place in the history ({@code id}, that of the peer's key): the
     * person's mark is read from it, and a join notice that came first is checked now.
     */
    synchronized void identifiedIn(String id) {
        Optional<PublicIdentity> key = identity;
        if (key.isPresent()) {
            // Here, after the delivery took its place in the history: the number takes a few milliseconds.
            safetyNumber = conversation.client().identity().safetyNumber(key.get());
            historyId = id;
            marked = history().conversation(id).map(r -> r.verified()).orElse(false);
            post(verification());
        }
        identityKnown = true;
        String joined = joinedBeforeProof;
        if (joined != null) {
            joinedBeforeProof = null;
            meet(joined);
        }
    }

    /** The peer announced its name ("… joined the chat"). */
    synchronized void joined(String announced) {
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
        Optional<PublicIdentity> before = conversation.client().identity().contacts().stream()
                .filter(c -> DisplayNames.clean(c.name()).equals(DisplayNames.clean(announced)))
                .map(Contact::identity).findFirst();
        Contact.Status status = conversation.client().identity().meet(announced, key.get());
        String text = switch (status) {
            case NEW -> announced + " is a new contact; their key is remembered.";
            case KNOWN -> announced + " has the same key as before.";
            case CHANGED -> "WARNING: your safety number with " + announced + " has changed: " + announced
                    + "'s identity key has CHANGED since you last talked. This may be someone else using that name, "
                    + "or " + announced + " reinstalled. Compare the new safety number with " + announced
                    + " over another channel before trusting this chat.";
        };
        if (status == Contact.Status.CHANGED) {
            changedUnder = announced;
            before.filter(old -> !old.equals(key.get())).ifPresent(this::clearMarkOf);
        }
        conversation.client().post(new ClientEvent.ContactChecked(conversation, announced, status, text));
        if (status == Contact.Status.CHANGED) {
            post(Verification.KEY_CHANGED);
            String id = historyId;
            if (id != null) {
                conversation.client().list().changed(id);
            }
        }
    }

    /** A contact's key changed: the person's mark on its old key goes (it was the old key they compared). */
    private void clearMarkOf(PublicIdentity old) {
        MessageHistory history = history();
        for (ConversationSummary s : history.conversations()) {
            if (s.conversation().verified() && s.conversation().peerKey().filter(old.key()::equals).isPresent()) {
                try {
                    history.setVerified(s.conversation().id(), false);
                    conversation.client().list().changed(s.conversation().id());
                } catch (IllegalArgumentException deleted) {
                    // deleted meanwhile: nothing to clear
                }
            }
        }
    }

    /** The person marked the key verified, or took the mark back; either accepts a changed key. */
    void markVerified(boolean verified) {
        Optional<PublicIdentity> key = identity;
        String id = historyId;
        if (key.isEmpty() || id == null) {
            throw new IllegalStateException(conversation.shownName()
                    + " proves no identity key (the web app does not): there is nothing to verify.");
        }
        history().setVerified(id, verified);
        marked = verified;
        String changed = changedUnder;
        if (changed != null) {
            conversation.client().identity().remember(changed, key.get());
            changedUnder = null;
        }
        post(verification());
        conversation.client().list().changed(id);
    }

    private void post(Verification now) {
        String who = conversation.shownName();
        String text = switch (now) {
            case UNSIGNED -> who + " proves no identity key: the chat is encrypted but unverified.";
            case NOT_VERIFIED -> "Not verified: compare the safety number with " + who
                    + " over another channel, then mark it verified.";
            case VERIFIED -> "Verified: you compared the safety number with " + who + ".";
            case KEY_CHANGED -> "Your safety number with " + who + " has changed. Compare the new one before "
                    + "trusting this chat.";
        };
        conversation.client().post(new ClientEvent.VerificationChanged(conversation, now, text));
    }

    private MessageHistory history() {
        return conversation.client().history();
    }

    /** A new session took over: its safety number is reported again (the same number). */
    void newSession() {
        safetyShown = false;
    }

    /** Reports the safety number once the session {@code n} is connected and the peer proved its key; once per session. */
    void showSafetyNumber(ChatConversation.Negotiated n) {
        String number = safetyNumber;
        synchronized (this) {
            if (safetyShown || n == null || number == null || n.session().state() != ConnectionState.CONNECTED) {
                return;
            }
            safetyShown = true;
        }
        conversation.client().post(new ClientEvent.SafetyNumber(conversation, number));
    }
}
