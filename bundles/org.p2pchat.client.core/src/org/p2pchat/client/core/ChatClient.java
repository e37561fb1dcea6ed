package org.p2pchat.client.core;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

import org.osgi.annotation.versioning.ProviderType;
import org.p2pchat.core.identity.Contact;
import org.p2pchat.core.identity.PublicIdentity;
import org.p2pchat.core.signaling.PeerAddress;
import org.p2pchat.history.HistoryPage;
import org.p2pchat.history.SearchHit;

/**
 * What a chat client does, once for every view: its conversations and their sessions, identity
 * proofs and their checks, contacts and key-change warnings, the file transfer's attachment, one
 * reconnect policy, the goodbye, the web app's quirks. A view renders the events of
 * {@link #subscribe} and calls the methods here; it names no provider and no transport.
 * <p>
 * Methods never block on the network; what takes time completes a future or reports an event.
 * Failures a person can act on are {@link org.p2pchat.core.signaling.SignalingException}s (or
 * {@link org.p2pchat.core.SessionException}s) whose message says what to do.
 */
@ProviderType
public interface ChatClient extends AutoCloseable {

    /** Our identity. */
    PublicIdentity self();

    /** The name peers see. */
    String displayName();

    /** The peers met before, with the keys they had. */
    List<Contact> contacts();

    /**
     * Whether the person marked {@code key} verified after comparing the safety number with its
     * holder ({@link Verification#VERIFIED}), else {@link Verification#NOT_VERIFIED}: for a request
     * or a listed peer before any conversation (a live one says more: {@link Conversation#verification}).
     */
    Verification verification(PublicIdentity key);

    /**
     * Every registered connection method, highest service ranking first. A provider installed or
     * removed later shows as {@link ClientEvent.MethodsChanged}.
     */
    List<ConnectionMethod> methods();

    /**
     * The connection provider plug-ins installed that give no method, with why (not resolved, not
     * started, failed to start); a change shows as {@link ClientEvent.ProvidersBroken}. Empty when
     * every provider plug-in works, or when the client runs outside a framework.
     */
    default List<BrokenProvider> brokenProviders() {
        return List.of();
    }

    /**
     * Events of this client, in order, on {@code executor} (a view's UI thread, or a printer's).
     * Closing the handle stops them.
     */
    AutoCloseable subscribe(Executor executor, Consumer<ClientEvent> listener);

    /**
     * Starts the method {@code methodId} for peer lists and incoming requests (registering with its
     * services); idempotent. Its standing arrives as {@link ClientEvent.MethodChanged}.
     *
     * @throws IllegalArgumentException if no such method is registered
     */
    void goOnline(String methodId);

    /**
     * What a client does when it starts: goes online with every method that takes requests and has
     * somewhere to be reached (a method working through services its settings name), so that peers
     * can reach us whatever a view shows; a method with nowhere to be reached stays offline.
     *
     * @return the ids of the methods it is online with now
     */
    List<String> goOnlineAtStart();

    /** Stops the method: it leaves its services; conversations made through it go on. */
    void goOffline(String methodId);

    /**
     * The peers the method lists now, never ourselves, the contacts we met before first (each part
     * in the method's order); fails with a reason a person can act on.
     */
    CompletableFuture<List<PeerAddress>> peers(String methodId);

    /**
     * Does an action the method offers ({@link ConnectionMethod#actions()}, e.g. starting a
     * service it needs on this computer); completes with a sentence saying what happened, or fails
     * with a reason a person can act on. The method's standing follows as
     * {@link ClientEvent.MethodChanged}.
     */
    CompletableFuture<String> perform(String methodId, String actionId);

    /**
     * A peer by id, by a name only one listed peer has, or by an address the method reads from the
     * text (an unlisted peer's id). Two people often start at the same moment, so a name not listed
     * yet is looked for again for up to {@code patience}. Fails with a reason (not found, several
     * peers of that name with their ids).
     */
    CompletableFuture<PeerAddress> find(String methodId, String idOrName, Duration patience);

    /**
     * Starts a conversation with {@code peer} through its method (the offer is made, signed and
     * carried; the answer's proof is checked). Returns at once; the conversation reports its
     * progress ({@link ClientEvent.Progress}), and {@link Conversation#connected()} says when it is
     * up or why not: the peer is offline, did not answer within the client's wait, declined, or no
     * network path was found. {@link Conversation#leave()} cancels it. Asking ourselves fails at once.
     */
    Conversation connect(PeerAddress peer);

    /** Accepts a request shown as {@link ClientEvent.RequestReceived}; as {@link #connect} otherwise. */
    Conversation accept(Request request);

    /** Declines a request; the requester is told where the method can. */
    void reject(Request request);

    /**
     * Starts a conversation by text a person carries, with the first method that can
     * ({@link org.p2pchat.core.signaling.ProviderCapability#PASTE}).
     *
     * @throws IllegalStateException if no such method is installed
     */
    PasteExchange paste();

    /** The conversations that have not ended, oldest first. */
    List<Conversation> conversations();

    /**
     * What closing this client now would end: the conversations going on and the transfers
     * moving bytes. A view asks the person before quitting while it is not empty.
     */
    Ongoing ongoing();

    // ---- the history --------------------------------------------------------------------------------

    /** Every conversation of the history, newest activity first, with whether its peer is online. */
    List<ConversationEntry> conversationList();

    /**
     * Up to {@code limit} messages of a conversation before row {@code beforeRow}
     * ({@link Long#MAX_VALUE}: the newest page), oldest first.
     *
     * @throws IllegalArgumentException for an unknown conversation
     */
    HistoryPage page(String historyId, long beforeRow, int limit);

    /**
     * The file transfers of a conversation of the history, oldest first: those with the peer whose
     * identity key the conversation is with (transfers are bound to the key the peer proved, so a
     * conversation with an unverified peer has none). Each says when it was offered
     * ({@code status().created()}), to be shown in its place among the messages. Empty for an
     * unknown conversation or without a file transfer engine.
     */
    default List<FileItem> fileItems(String historyId) {
        return List.of();
    }

    /** Messages of every conversation containing {@code text} (case-insensitive), newest first. */
    List<SearchHit> search(String text, int limit);

    /** The person has seen the conversation: its unread count drops to 0. */
    void markRead(String historyId);

    /** Forgets a conversation and its messages; a live conversation with the peer is left first. */
    CompletableFuture<Void> delete(String historyId);

    /** The conversation as plain text, oldest first, for a person to save. */
    String export(String historyId);

    /**
     * Connects again to the peer of a conversation of the history, through a method that lists a
     * peer with its identity key (a directory both use): one click, no exchange. Messages not
     * delivered before are sent once connected. Fails with a reason a person can act on (the peer
     * is not listed by any method that is online; the conversation is with an unverified peer).
     */
    CompletableFuture<Conversation> reopen(String historyId);

    /**
     * Sends one of our messages again that was not delivered: through the live conversation with
     * the peer, or once {@link #reopen} connects.
     */
    CompletableFuture<Void> sendAgain(String historyId, String messageId);

    /** Leaves every conversation (saying goodbye), goes offline; idempotent. */
    @Override
    void close();
}
