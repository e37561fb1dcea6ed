package org.p2pchat.client.core;

import java.util.List;
import java.util.Optional;

import org.p2pchat.core.CandidatePath;
import org.p2pchat.core.ChatMessage;
import org.p2pchat.core.ConnectionState;
import org.p2pchat.core.PeerDataChannel;
import org.p2pchat.core.files.TransferStatus;
import org.p2pchat.core.identity.Contact;
import org.p2pchat.core.identity.PublicIdentity;
import org.p2pchat.core.signaling.PeerAddress;
import org.p2pchat.history.DeliveryState;

/**
 * What happens in a {@link ChatClient}, for views to render; delivered in order on the executor
 * the view subscribed with. Texts meant for people are in the events' {@code text} where the
 * wording is the client layer's (so both views say the same); views add their own layout.
 */
public sealed interface ClientEvent {

    /** Events about one conversation. */
    sealed interface OfConversation extends ClientEvent {
        Conversation conversation();
    }

    // ---- methods and requests --------------------------------------------------------------------

    /** A connection provider was installed or removed. */
    record MethodsChanged(List<ConnectionMethod> methods) implements ClientEvent {
    }

    /**
     * The connection provider plug-ins that are installed but broken changed (one was installed,
     * removed, fixed or failed): {@code providers} is the whole list now, empty when all work.
     */
    record ProvidersBroken(List<BrokenProvider> providers) implements ClientEvent {
    }

    /**
     * The peers a method sees changed by themselves (a method that finds peers without a server,
     * {@link org.p2pchat.core.signaling.ProviderCapability#SERVERLESS}): {@code peers} is its list now,
     * as {@link ChatClient#peers} gives it, for views to show without being asked.
     */
    record PeersChanged(String methodId, List<PeerAddress> peers) implements ClientEvent {
    }

    /** A method's standing changed (registered with a service, unreachable, back). */
    record MethodChanged(ConnectionMethod method) implements ClientEvent {
    }

    /** Someone asks to connect, for the user to answer. */
    record RequestReceived(Request request) implements ClientEvent {
    }

    /** A request went away unanswered (withdrawn, expired). */
    record RequestWithdrawn(Request request) implements ClientEvent {
    }

    /**
     * A request the client refused by itself because its proof failed (the requester is told why).
     * A request that does not continue a conversation going on with that peer is not refused: it
     * is shown as {@link RequestReceived}, and the conversation goes on untouched.
     */
    record RequestRefused(PeerAddress from, String text) implements ClientEvent {
    }

    // ---- conversations ---------------------------------------------------------------------------

    /** A conversation began (connect, accept, paste). */
    record ConversationStarted(Conversation conversation) implements OfConversation {
    }

    /**
     * How the making of the conversation goes, until it connects or ends, in the client layer's
     * words: asking the peer, waiting for them to accept, finding a network path. Every attempt
     * ends by itself (the peer is offline, did not answer in time, no path was found: said in
     * {@link Ended}) or when the person cancels it ({@link Conversation#leave()}).
     */
    record Progress(Conversation conversation, String text) implements OfConversation {
    }

    /** Its state as a person sees it changed, with the current session's connection state. */
    record StateChanged(Conversation conversation, ConversationState state, ConnectionState connection)
            implements OfConversation {
    }

    /** The candidate pair in use (direct, through a relay...). */
    record PathSelected(Conversation conversation, CandidatePath path) implements OfConversation {
    }

    /**
     * What the peer's description proved: a verified identity, or none (the web app sends no
     * proof: the chat is encrypted but unverified).
     */
    record PeerIdentified(Conversation conversation, Optional<PublicIdentity> identity, String text)
            implements OfConversation {
    }

    /**
     * The safety number, once the peer proved its key and the session is connected (reported for
     * every session; it is the same number each time).
     */
    record SafetyNumber(Conversation conversation, String number) implements OfConversation {
    }

    /**
     * Whether the person verified the peer's key, once the peer proved it, and whenever that changes
     * (marked verified, mark taken back, a contact's key changed). {@code text} says it for a person.
     */
    record VerificationChanged(Conversation conversation, Verification verification, String text)
            implements OfConversation {
    }

    /**
     * Trust on first use, once the peer announced its name: new, the same key as before, or a
     * CHANGED key, which views show loudly.
     */
    record ContactChecked(Conversation conversation, String name, Contact.Status status, String text)
            implements OfConversation {
    }

    /** A chat message or a system notice ("… joined the chat") arrived. */
    record MessageReceived(Conversation conversation, ChatMessage message) implements OfConversation {
    }

    /** Our message was stored, to be sent (its delivery is reported as {@link DeliveryChanged}). */
    record MessageSent(Conversation conversation, ChatMessage message) implements OfConversation {
    }

    /**
     * One of our messages got further (sent, delivered) or did not (not delivered). A message of a
     * conversation that is not live any more (sent again from the history) is reported with the
     * history's id and no conversation: {@link HistoryDeliveryChanged}.
     */
    record DeliveryChanged(Conversation conversation, String messageId, DeliveryState state)
            implements OfConversation {
    }

    /** As {@link DeliveryChanged}, for a message of a conversation of the history that is not live. */
    record HistoryDeliveryChanged(String historyId, String messageId, DeliveryState state) implements ClientEvent {
    }

    /**
     * Something a person should know that did not end the conversation: a message this client does
     * not handle (the web app's file offer, say), a malformed frame.
     */
    record Notice(Conversation conversation, String text) implements OfConversation {
    }

    /** The peer opened a binary channel that no plug-in claims (a benchmark). */
    record ChannelOpened(Conversation conversation, PeerDataChannel channel) implements OfConversation {
    }

    /** The connection was lost; attempt {@code attempt} of {@code attempts} to make it again starts. */
    record Reconnecting(Conversation conversation, int attempt, int attempts) implements OfConversation {
    }

    /** An attempt failed; {@code nextInMillis} until the next, or -1 if that was the last. */
    record ReconnectFailed(Conversation conversation, int attempt, String text, long nextInMillis)
            implements OfConversation {
    }

    /** The connection is back, made by us or by the peer. */
    record Reconnected(Conversation conversation, boolean byPeer) implements OfConversation {
    }

    /** The conversation is over. */
    record Ended(Conversation conversation, EndReason reason, String text) implements OfConversation {
    }

    // ---- the list of conversations -----------------------------------------------------------------

    /**
     * A line of the list of conversations is new or changed (a message, read, verified, online or
     * not, a live conversation began or ended).
     */
    record EntryChanged(ConversationEntry entry) implements ClientEvent {
    }

    /** A conversation was deleted from the history. */
    record EntryRemoved(String historyId) implements ClientEvent {
    }

    // ---- files -------------------------------------------------------------------------------------

    /**
     * A file transfer of this profile changed (offered, progress, done, failed...): {@code item}
     * says it as a conversation shows it (each file, where received files are saved, who declined).
     */
    record TransferChanged(FileItem item) implements ClientEvent {
        /** The transfer as the engine says it. */
        public TransferStatus status() {
            return item.status();
        }
    }
}
