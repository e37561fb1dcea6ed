package org.p2pchat.client.core.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import org.p2pchat.client.core.ClientEvent;
import org.p2pchat.client.core.ConnectionMethod;
import org.p2pchat.client.core.Conversation;
import org.p2pchat.client.core.ConversationEntry;
import org.p2pchat.client.core.ConversationState;
import org.p2pchat.client.core.Verification;
import org.p2pchat.core.identity.PublicIdentity;
import org.p2pchat.core.signaling.PeerAddress;
import org.p2pchat.core.signaling.ProviderCapability;
import org.p2pchat.core.signaling.SignalingException;
import org.p2pchat.history.ConversationRecord;
import org.p2pchat.history.ConversationSummary;
import org.p2pchat.history.MessageHistory;

/**
 * The list of conversations a view shows: the history's conversations with whether each peer is
 * online (connected, or listed by a method that is online) and its live conversation; reopening a
 * conversation of the history through a method that lists its peer's key.
 */
final class ConversationList {

    private final DefaultChatClient client;
    private final MessageHistory history;
    /** Identity keys each method listed in its latest peer list, by method id. */
    private final Map<String, Set<String>> listedKeys = new ConcurrentHashMap<>();

    ConversationList(DefaultChatClient client, MessageHistory history) {
        this.client = client;
        this.history = history;
    }

    List<ConversationEntry> entries() {
        List<ConversationEntry> entries = new ArrayList<>();
        for (ConversationSummary s : history.conversations()) {
            entries.add(entry(s));
        }
        return entries;
    }

    private ConversationEntry entry(ConversationSummary s) {
        Optional<Conversation> live = live(s.conversation().id());
        boolean connected = live.map(c -> c.state() == ConversationState.CONNECTED).orElse(false);
        boolean listed = s.conversation().peerKey().map(this::listed).orElse(false);
        return new ConversationEntry(s, connected || listed, live);
    }

    /** Whether the person marked {@code key} verified (in the conversation of the history with it). */
    Verification verification(PublicIdentity key) {
        boolean marked = history.conversations().stream().map(ConversationSummary::conversation)
                .anyMatch(c -> c.verified() && c.peerKey().filter(key.key()::equals).isPresent());
        return marked ? Verification.VERIFIED : Verification.NOT_VERIFIED;
    }

    /** The live conversation of a history entry. */
    Optional<Conversation> live(String historyId) {
        for (Conversation c : client.conversations()) {
            if (c.historyId().filter(historyId::equals).isPresent()) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /** Reports the entry of {@code historyId} as changed (after a message, a state, a read...). */
    void changed(String historyId) {
        history.summary(historyId).ifPresent(s -> client.post(new ClientEvent.EntryChanged(entry(s))));
    }

    private boolean listed(String key) {
        return listedKeys.values().stream().anyMatch(keys -> keys.contains(key));
    }

    /**
     * Method {@code methodId} listed {@code peers} (or went offline: none): entries whose peer
     * appeared or went away change.
     */
    void listed(String methodId, List<PeerAddress> peers) {
        Set<String> now = new HashSet<>();
        peers.forEach(p -> p.identity().map(PublicIdentity::key).ifPresent(now::add));
        Set<String> before;
        synchronized (listedKeys) {
            before = Set.copyOf(listedKeys.getOrDefault(methodId, Set.of()));
            listedKeys.put(methodId, Set.copyOf(now));
        }
        if (before.equals(now)) {
            return;
        }
        for (ConversationSummary s : history.conversations()) {
            Optional<String> key = s.conversation().peerKey();
            if (key.isPresent() && before.contains(key.get()) != now.contains(key.get())) {
                client.post(new ClientEvent.EntryChanged(entry(s)));
            }
        }
    }

    CompletableFuture<Void> delete(String historyId) {
        CompletableFuture<Void> left = live(historyId).map(Conversation::leave)
                .orElse(CompletableFuture.completedFuture(null));
        return left.thenRunAsync(() -> {
            history.delete(historyId);
            client.post(new ClientEvent.EntryRemoved(historyId));
        }, client.work());
    }

    /** Connects to the peer of {@code historyId} through the first online method that lists its key. */
    CompletableFuture<Conversation> reopen(String historyId) {
        Optional<Conversation> live = live(historyId);
        if (live.isPresent() && !live.get().state().isFinal()) {
            return CompletableFuture.completedFuture(live.get());
        }
        ConversationRecord record = history.conversation(historyId).orElse(null);
        if (record == null) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("No such conversation: " + historyId));
        }
        if (record.peerKey().isEmpty()) {
            return CompletableFuture.failedFuture(new SignalingException(record.peerName()
                    + " uses the web app, which cannot be called back: start a new exchange to chat again."));
        }
        String key = record.peerKey().get();
        List<ConnectionMethod> methods = client.methods().stream()
                .filter(m -> m.can(ProviderCapability.CONNECT) && m.can(ProviderCapability.PEER_LIST)
                        && client.links().isOnline(m.id()))
                .toList();
        if (methods.isEmpty()) {
            return CompletableFuture.failedFuture(new SignalingException("To call " + record.peerName()
                    + " back, go online with a directory (rendezvous service) you both use."));
        }
        CompletableFuture<Conversation> result = CompletableFuture.failedFuture(new SignalingException(
                record.peerName() + " is not online in any directory you use. Try again when they are."));
        for (ConnectionMethod m : methods) {
            result = result.exceptionallyCompose(error -> client.peers(m.id()).thenApply(peers -> {
                PeerAddress peer = peers.stream()
                        .filter(p -> p.identity().map(PublicIdentity::key).filter(key::equals).isPresent())
                        .findFirst().orElseThrow(() -> new java.util.concurrent.CompletionException(error));
                return client.connect(peer);
            }));
        }
        return result;
    }
}
