package org.p2pchat.history.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.history.ConversationRecord;
import org.p2pchat.history.ConversationSummary;
import org.p2pchat.history.DeliveryState;
import org.p2pchat.history.Direction;
import org.p2pchat.history.HistoryPage;
import org.p2pchat.history.MessageHistory;
import org.p2pchat.history.SearchHit;
import org.p2pchat.history.StoredMessage;

/** Every method of a history, on one in memory from the registered {@link org.p2pchat.history.HistoryService}. */
class MessageHistoryTest {

    private MessageHistory history;
    private String bob;

    @BeforeEach
    void open() {
        history = Services.histories().openInMemory();
        bob = history.conversationWith("bob-key", "Bob").id();
    }

    @AfterEach
    void close() {
        history.close();
    }

    // ---- conversations ---------------------------------------------------------------------------

    @Test
    void conversationWithTheSameKeyIsTheSameConversationAndTakesTheNewName() {
        ConversationRecord again = history.conversationWith("bob-key", "Robert");
        assertEquals(bob, again.id());
        assertEquals("Robert", again.peerName());
        assertEquals("Robert", history.conversation(bob).orElseThrow().peerName());
        assertEquals("Robert", history.conversationWith("bob-key", " ").peerName(), "a blank name changes nothing");
        assertEquals(Optional.of("bob-key"), again.peerKey());
        assertFalse(again.bestEffort());
        assertFalse(again.verified());
        assertNotEquals(bob, history.conversationWith("carol-key", "Bob").id(), "another key, another conversation");
        assertEquals(2, history.conversations().size());
        assertThrows(IllegalArgumentException.class, () -> history.conversationWith(" ", "Nobody"));
    }

    @Test
    void conversationIdsAreSafeInFileNamesAndCommandLines() {
        for (int i = 0; i < 20; i++) {
            String id = history.conversationWith("key-" + i, "Peer").id();
            assertTrue(id.matches("[a-z0-9]+"), id);
        }
    }

    @Test
    void anUnverifiedPeerGetsANewBestEffortConversationEachTime() {
        ConversationRecord first = history.newUnverifiedConversation("Web");
        ConversationRecord second = history.newUnverifiedConversation("Web");
        assertNotEquals(first.id(), second.id());
        assertTrue(first.bestEffort());
        assertEquals(Optional.empty(), first.peerKey());
        assertEquals(first, history.conversation(first.id()).orElseThrow());
    }

    @Test
    void renameAndVerified() {
        history.rename(bob, "Bobby");
        history.rename(bob, "");
        assertEquals("Bobby", history.conversation(bob).orElseThrow().peerName());
        history.setVerified(bob, true);
        assertTrue(history.conversation(bob).orElseThrow().verified());
        history.setVerified(bob, false);
        assertFalse(history.conversation(bob).orElseThrow().verified());
        assertThrows(IllegalArgumentException.class, () -> history.rename("nope", "X"));
        assertThrows(IllegalArgumentException.class, () -> history.setVerified("nope", true));
    }

    @Test
    void conversationsComeByNewestActivityNoticesAside() {
        String carol = history.conversationWith("carol-key", "Carol").id();
        String dave = history.conversationWith("dave-key", "Dave").id();
        assertEquals(List.of(dave, carol, bob), ids(history.conversations()), "without messages: by creation");
        history.addOutgoing(bob, "m1", "Alice", "hi Bob", 1, true);
        assertEquals(List.of(bob, dave, carol), ids(history.conversations()));
        history.addIncoming(carol, "c1", 1, "Carol", "hi", 2);
        assertEquals(List.of(carol, bob, dave), ids(history.conversations()));
        history.addNotice(dave, "Dave joined the chat", 3);
        assertEquals(List.of(carol, bob, dave), ids(history.conversations()), "a notice is not activity");
        ConversationSummary summary = history.summary(bob).orElseThrow();
        assertEquals("hi Bob", summary.last().orElseThrow().text());
        assertEquals(Optional.empty(), history.summary(dave).orElseThrow().last());
        assertEquals(Optional.empty(), history.summary("nope"));
    }

    @Test
    void deleteForgetsTheConversationAndItsMessagesOnly() {
        String carol = history.conversationWith("carol-key", "Carol").id();
        history.addOutgoing(bob, "m1", "Alice", "secret plan", 1, true);
        history.addOutgoing(carol, "m1", "Alice", "secret party", 2, true);
        history.delete(bob);
        assertEquals(Optional.empty(), history.conversation(bob));
        assertEquals(Optional.empty(), history.summary(bob));
        assertEquals(List.of(carol), ids(history.conversations()));
        assertEquals(List.of("secret party"), texts(history.search("secret", 10)));
        assertThrows(IllegalArgumentException.class, () -> history.page(bob, Long.MAX_VALUE, 10));
        assertThrows(IllegalArgumentException.class, () -> history.delete(bob));
        assertEquals("bob-key", history.conversationWith("bob-key", "Bob").peerKey().orElseThrow(),
                "Bob can be talked to again");
        assertEquals(0, history.page(history.conversationWith("bob-key", "Bob").id(), Long.MAX_VALUE, 10)
                .messages().size());
    }

    @Test
    void aConversationWithTheSameKeyAfterADeleteGoesOnWithItsSequenceNumbers() {
        history.addOutgoing(bob, "o1", "Alice", "one", 1, true);
        history.addOutgoing(bob, "o2", "Alice", "two", 2, true);
        history.addIncoming(bob, "i1", 7, "Bob", "seven", 3);
        history.delete(bob);
        // Bob's client still has our 1 and 2 and told us it had its 7: numbering goes on from there.
        String again = history.conversationWith("bob-key", "Bob").id();
        assertEquals(3, history.addOutgoing(again, "o3", "Alice", "three", 4, true).seq());
        assertEquals(7, history.receivedSeq(again));
        assertEquals(Optional.empty(), history.addIncoming(again, "i1", 7, "Bob", "seven", 3), "a repeat");
        // Taken up once: a conversation deleted twice keeps the newest numbers.
        history.delete(again);
        assertEquals(4, history.addOutgoing(history.conversationWith("bob-key", "Bob").id(), "o4", "Alice", "four", 5,
                true).seq());
    }

    // ---- messages --------------------------------------------------------------------------------

    @Test
    void oursAreNumberedPerConversationWhenSequenced() {
        String carol = history.conversationWith("carol-key", "Carol").id();
        StoredMessage first = history.addOutgoing(bob, "a", "Alice", "one", 10, true);
        StoredMessage unsequenced = history.addOutgoing(bob, "b", "Alice", "two", 11, false);
        StoredMessage second = history.addOutgoing(bob, "c", "Alice", "three", 12, true);
        StoredMessage toCarol = history.addOutgoing(carol, "d", "Alice", "hi", 13, true);
        assertEquals(1, first.seq());
        assertEquals(0, unsequenced.seq());
        assertEquals(2, second.seq());
        assertEquals(1, toCarol.seq());
        assertEquals(DeliveryState.SENDING, first.state());
        assertEquals(Direction.OUTGOING, first.direction());
        assertTrue(first.row() < unsequenced.row() && unsequenced.row() < second.row());
        assertEquals(new StoredMessage(first.row(), bob, "a", Direction.OUTGOING, 1, "Alice", "one", 10,
                DeliveryState.SENDING), history.message(bob, "a").orElseThrow());
        assertEquals(first, history.addOutgoing(bob, "a", "Alice", "one", 10, true), "stored once");
        assertEquals(3, history.page(bob, Long.MAX_VALUE, 10).messages().size());
        assertThrows(IllegalArgumentException.class, () -> history.addOutgoing("nope", "x", "A", "t", 1, true));
    }

    @Test
    void aSequencedMessageFromThePeerIsStoredOnlyAboveWhatWeHave() {
        assertEquals(0, history.receivedSeq(bob));
        assertTrue(history.addIncoming(bob, "b1", 1, "Bob", "one", 1).isPresent());
        assertEquals(Optional.empty(), history.addIncoming(bob, "b1", 1, "Bob", "one", 1), "a repeat");
        assertEquals(Optional.empty(), history.addIncoming(bob, "b1-again", 1, "Bob", "one", 1),
                "a repeat by its number, whatever its id");
        StoredMessage third = history.addIncoming(bob, "b3", 3, "Bob", "three", 3).orElseThrow();
        assertEquals(3, third.seq());
        assertEquals(DeliveryState.RECEIVED, third.state());
        assertEquals(Direction.INCOMING, third.direction());
        assertEquals(3, history.receivedSeq(bob));
        assertEquals(Optional.empty(), history.addIncoming(bob, "b2", 2, "Bob", "two, late", 2), "below what we have");
        assertEquals(Optional.empty(), history.addIncoming(bob, "b3", 4, "Bob", "three", 3),
                "an id we have is a repeat");
        assertEquals(4, history.receivedSeq(bob), "its number counts as received");
        assertEquals(List.of("one", "three"), texts(history.page(bob, Long.MAX_VALUE, 10).messages()));
        assertThrows(IllegalArgumentException.class, () -> history.addIncoming(bob, "x", -1, "Bob", "t", 1));
    }

    @Test
    void anUnsequencedMessageFromThePeerIsStoredOncePerIdAndConversation() {
        String web = history.newUnverifiedConversation("Web").id();
        String web2 = history.newUnverifiedConversation("Web").id();
        assertTrue(history.addIncoming(web, "1", 0, "Web", "hello", 1).isPresent());
        assertEquals(Optional.empty(), history.addIncoming(web, "1", 0, "Web", "hello", 1));
        assertTrue(history.addIncoming(web, "2", 0, "Web", "hello", 2).isPresent());
        assertTrue(history.addIncoming(web2, "1", 0, "Web", "hello", 1).isPresent(), "another conversation");
        assertEquals(0, history.receivedSeq(web));
        assertEquals(0, history.addIncoming(web, "3", 0, "Web", "x", 3).orElseThrow().seq());
    }

    @Test
    void aPeerWithMoreOfOursThanWeNumberedMakesOurNumberingGoOnAfterIt() {
        history.addOutgoing(bob, "a", "Alice", "one", 1, true);
        history.addOutgoing(bob, "b", "Alice", "two", 2, true);
        history.acknowledge(bob, 1);
        assertEquals(List.of(), history.continueNumberingAfter(bob, 2), "what we numbered: nothing changes");
        assertEquals(2, history.message(bob, "b").orElseThrow().seq());

        // The peer has 40 of ours: this history was made again and numbered from 1.
        List<StoredMessage> renumbered = history.continueNumberingAfter(bob, 40);
        assertEquals(List.of("b"), messageIds(renumbered));
        assertEquals(41, renumbered.get(0).seq());
        assertEquals(41, history.message(bob, "b").orElseThrow().seq());
        assertEquals(1, history.message(bob, "a").orElseThrow().seq(), "a delivered one keeps its number");
        assertEquals(42, history.addOutgoing(bob, "c", "Alice", "three", 3, true).seq(), "new ones follow");
        assertEquals(List.of(), history.acknowledge(bob, 40), "nothing of ours is up to 40 now");
        assertEquals(List.of("b", "c"), messageIds(history.unacknowledged(bob)));
        assertEquals(List.of(), history.continueNumberingAfter(bob, 42));
    }

    @Test
    void acknowledgingDeliversOurSequencedMessagesUpToTheNumber() {
        history.addOutgoing(bob, "a", "Alice", "one", 1, true);
        history.addOutgoing(bob, "u", "Alice", "unsequenced", 2, false);
        history.addOutgoing(bob, "b", "Alice", "two", 3, true);
        history.addOutgoing(bob, "c", "Alice", "three", 4, true);
        history.addIncoming(bob, "in", 1, "Bob", "theirs", 5);
        history.setState(bob, "a", DeliveryState.SENT);
        history.setState(bob, "b", DeliveryState.NOT_DELIVERED);
        assertEquals(List.of("a", "b", "c"), messageIds(history.unacknowledged(bob)));

        List<StoredMessage> delivered = history.acknowledge(bob, 2);
        assertEquals(List.of("a", "b"), messageIds(delivered), "oldest first");
        assertTrue(delivered.stream().allMatch(m -> m.state() == DeliveryState.DELIVERED));
        assertEquals(DeliveryState.DELIVERED, history.message(bob, "b").orElseThrow().state());
        assertEquals(List.of("c"), messageIds(history.unacknowledged(bob)));
        assertEquals(List.of(), history.acknowledge(bob, 2), "again: nothing changes");
        assertEquals(DeliveryState.SENDING, history.message(bob, "u").orElseThrow().state(),
                "an unsequenced one is never acknowledged");
        assertEquals(List.of("c"), messageIds(history.acknowledge(bob, 99)));
        assertEquals(List.of(), history.unacknowledged(bob));
        assertEquals(DeliveryState.RECEIVED, history.message(bob, "in").orElseThrow().state());
    }

    @Test
    void setStateChangesOursOnly() {
        history.addOutgoing(bob, "a", "Alice", "one", 1, true);
        history.addIncoming(bob, "in", 1, "Bob", "theirs", 2);
        for (DeliveryState state : List.of(DeliveryState.SENT, DeliveryState.NOT_DELIVERED, DeliveryState.SENDING)) {
            history.setState(bob, "a", state);
            assertEquals(state, history.message(bob, "a").orElseThrow().state());
        }
        history.setState(bob, "a", DeliveryState.DELIVERED);
        assertEquals(List.of(), history.unacknowledged(bob));
        history.setState(bob, "a", DeliveryState.NOT_DELIVERED);
        assertEquals(List.of("a"), messageIds(history.unacknowledged(bob)));
        assertThrows(IllegalArgumentException.class, () -> history.setState(bob, "in", DeliveryState.SENT));
        assertThrows(IllegalArgumentException.class, () -> history.setState(bob, "a", DeliveryState.RECEIVED));
        assertThrows(IllegalArgumentException.class, () -> history.setState(bob, "nope", DeliveryState.SENT));
        assertThrows(IllegalArgumentException.class, () -> history.setState("nope", "a", DeliveryState.SENT));
        assertEquals(Optional.empty(), history.message(bob, "nope"));
    }

    @Test
    void noticesAreLinesOfTheConversation() {
        StoredMessage notice = history.addNotice(bob, "Bob joined the chat", 5);
        assertEquals(Direction.NOTICE, notice.direction());
        assertEquals(DeliveryState.RECEIVED, notice.state());
        assertEquals(0, notice.seq());
        assertEquals(List.of(notice), history.page(bob, Long.MAX_VALUE, 10).messages());
        assertEquals(0, history.summary(bob).orElseThrow().unread());
        assertThrows(IllegalArgumentException.class, () -> history.addNotice("nope", "x", 1));
    }

    // ---- reading -------------------------------------------------------------------------------

    @Test
    void pagesGoBackFromTheNewest() {
        for (int i = 0; i < 120; i++) {
            history.addOutgoing(bob, "m" + i, "Alice", "text " + i, i, true);
        }
        HistoryPage newest = history.page(bob, Long.MAX_VALUE, 50);
        assertEquals(50, newest.messages().size());
        assertTrue(newest.hasOlder());
        assertEquals("m70", newest.messages().get(0).messageId(), "oldest first");
        assertEquals("m119", newest.messages().get(49).messageId());
        HistoryPage middle = history.page(bob, newest.messages().get(0).row(), 50);
        assertEquals("m20", middle.messages().get(0).messageId());
        assertEquals("m69", middle.messages().get(49).messageId());
        assertTrue(middle.hasOlder());
        HistoryPage oldest = history.page(bob, middle.messages().get(0).row(), 50);
        assertEquals(20, oldest.messages().size());
        assertEquals("m0", oldest.messages().get(0).messageId());
        assertFalse(oldest.hasOlder());
        assertFalse(history.page(bob, Long.MAX_VALUE, 120).hasOlder(), "exactly all of them");
        assertTrue(history.page(bob, Long.MAX_VALUE, 119).hasOlder());
        HistoryPage empty = history.page(history.conversationWith("carol-key", "Carol").id(), Long.MAX_VALUE, 50);
        assertEquals(List.of(), empty.messages());
        assertFalse(empty.hasOlder());
        assertThrows(IllegalArgumentException.class, () -> history.page(bob, Long.MAX_VALUE, 0));
        assertThrows(IllegalArgumentException.class, () -> history.page("nope", Long.MAX_VALUE, 10));
    }

    @Test
    void searchFindsTextInAnyCaseInEveryConversationNewestFirst() {
        String carol = history.conversationWith("carol-key", "Carol").id();
        history.addOutgoing(bob, "1", "Alice", "Lunch at noon?", 1, true);
        history.addIncoming(carol, "2", 1, "Carol", "no LUNCH today", 2);
        history.addIncoming(bob, "3", 1, "Bob", "lunchbox", 3);
        history.addOutgoing(bob, "4", "Alice", "dinner", 4, true);
        history.addNotice(bob, "lunch notice", 5);
        List<SearchHit> hits = history.search("lUnCh", 10);
        assertEquals(List.of("lunchbox", "no LUNCH today", "Lunch at noon?"), texts(hits), "newest first, no notices");
        assertEquals(List.of(bob, carol, bob), hits.stream().map(h -> h.conversation().id()).toList());
        assertEquals("Carol", hits.get(1).conversation().peerName());
        assertEquals(List.of("lunchbox", "no LUNCH today"), texts(history.search("lunch", 2)), "at most the limit");
        assertEquals(List.of(), history.search("breakfast", 10));
        assertEquals(List.of(), history.search("", 10));
    }

    @Test
    void searchTakesWildcardsAndBackslashesLiterally() {
        history.addOutgoing(bob, "1", "Alice", "100% sure", 1, true);
        history.addOutgoing(bob, "2", "Alice", "100 sure", 2, true);
        history.addOutgoing(bob, "3", "Alice", "file_name", 3, true);
        history.addOutgoing(bob, "4", "Alice", "fileXname", 4, true);
        history.addOutgoing(bob, "5", "Alice", "C:\\temp", 5, true);
        history.addOutgoing(bob, "6", "Alice", "C:temp", 6, true);
        assertEquals(List.of("100% sure"), texts(history.search("0%", 10)));
        assertEquals(List.of("file_name"), texts(history.search("e_n", 10)));
        assertEquals(List.of("C:\\temp"), texts(history.search(":\\t", 10)));
        assertEquals(List.of("100% sure"), texts(history.search("%", 10)));
        assertEquals(List.of("file_name"), texts(history.search("_", 10)));
    }

    @Test
    void unreadCountsThePeersMessagesSinceMarkRead() {
        history.addIncoming(bob, "1", 1, "Bob", "one", 1);
        history.addIncoming(bob, "2", 2, "Bob", "two", 2);
        history.addOutgoing(bob, "3", "Alice", "mine", 3, true);
        history.addNotice(bob, "Bob left", 4);
        history.addIncoming(bob, "2", 2, "Bob", "two", 2);
        assertEquals(2, history.summary(bob).orElseThrow().unread());
        history.markRead(bob);
        assertEquals(0, history.summary(bob).orElseThrow().unread());
        history.addIncoming(bob, "4", 3, "Bob", "three", 5);
        assertEquals(1, history.conversations().get(0).unread());
        assertThrows(IllegalArgumentException.class, () -> history.markRead("nope"));
    }

    @Test
    void exportIsOneLinePerMessageWithTimeAndSenderOldestFirst() {
        long t = java.time.LocalDateTime.of(2026, 3, 4, 5, 6, 7).atZone(java.time.ZoneId.systemDefault())
                .toInstant().toEpochMilli();
        history.addNotice(bob, "Bob joined the chat", t);
        history.addOutgoing(bob, "1", "Alice", "Hi Bob", t + 1000, true);
        history.addIncoming(bob, "2", 1, "Bob", "Hi\nAlice", t + 2000);
        assertEquals("""
                [2026-03-04 05:06:07] * Bob joined the chat
                [2026-03-04 05:06:08] Alice: Hi Bob
                [2026-03-04 05:06:09] Bob: Hi
                    Alice
                """, history.export(bob));
        assertEquals("", history.export(history.conversationWith("carol-key", "Carol").id()));
        assertThrows(IllegalArgumentException.class, () -> history.export("nope"));
    }

    @Test
    void aClosedHistorySaysSo() {
        history.close();
        history.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> history.conversations());
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }

    @Test
    void historiesInMemoryAreIndependent() {
        try (MessageHistory other = Services.histories().openInMemory()) {
            assertEquals(List.of(), other.conversations());
            String otherBob = other.conversationWith("bob-key", "Bob").id();
            other.addOutgoing(otherBob, "x", "Alice", "only here", 1, true);
            assertEquals(List.of(), history.search("only here", 10));
            assertEquals(Optional.empty(), history.message(bob, "x"));
            assertEquals(1, other.search("only here", 10).size());
        }
        assertEquals(List.of(bob), ids(history.conversations()), "closing the other changed nothing here");
    }

    private static List<String> ids(List<ConversationSummary> summaries) {
        return summaries.stream().map(s -> s.conversation().id()).toList();
    }

    private static List<String> messageIds(List<StoredMessage> messages) {
        return messages.stream().map(StoredMessage::messageId).toList();
    }

    private static List<String> texts(List<?> items) {
        return items.stream().map(i -> i instanceof SearchHit h ? h.message().text() : ((StoredMessage) i).text())
                .toList();
    }
}
