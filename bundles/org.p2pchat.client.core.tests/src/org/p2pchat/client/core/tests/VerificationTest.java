package org.p2pchat.client.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.client.core.ClientEvent;
import org.p2pchat.client.core.Conversation;
import org.p2pchat.client.core.ConversationEntry;
import org.p2pchat.client.core.Verification;
import org.p2pchat.core.identity.Contact;
import org.p2pchat.core.identity.IdentityService;
import org.p2pchat.core.internal.identity.Ed25519IdentityService;
import org.p2pchat.core.internal.settings.JsonSettingsStore;
import org.p2pchat.core.settings.Settings;
import org.p2pchat.core.settings.SettingsStore;
import org.p2pchat.history.HistoryService;
import org.p2pchat.history.MessageHistory;
import org.p2pchat.testing.provider.FolderMailboxProvider;

/**
 * Real clients with histories on disk, through the test provider: the safety number depends on the
 * two identity keys only (the same on both sides, on every connection, after restarts); a signed key
 * is "not verified" until the person marks it; the mark is kept; a contact's changed key shows as
 * KEY_CHANGED and clears the mark.
 */
class VerificationTest {

    static final long T = Events.TIMEOUT_SECONDS;
    static final String FOLDER = FolderMailboxProvider.ID;

    @TempDir
    Path work;
    private final Deque<AutoCloseable> open = new ArrayDeque<>();

    @AfterEach
    void stop() throws Exception {
        while (!open.isEmpty()) {
            open.pop().close();
        }
    }

    @Test
    void theSafetyNumberIsStableAcrossConnectionsAndRestartsAndTheMarkIsKept() throws Exception {
        HistoryService histories = Peers.service(HistoryService.class);
        InTheMiddle mailbox = Peers.folderProvider();
        Peers.Person alice = onDisk("alice", histories, mailbox);
        Peers.Person bob = onDisk("bob", histories, mailbox);
        Peers.meetOnline(work.resolve("mailbox"), alice, bob);

        Conversation[] first = DeliveryTest.connect(alice, bob);
        String number = alice.events().await(ClientEvent.SafetyNumber.class).number();
        assertEquals(number, bob.events().await(ClientEvent.SafetyNumber.class).number(), "the same on both sides");
        assertTrue(number.matches("\\d{5}( \\d{5}){11}"), number);
        assertEquals(Optional.of(number), first[0].safetyNumber());
        assertEquals(Optional.of(number), first[1].safetyNumber());
        // Strangers: signed keys, nobody compared anything.
        assertEquals(Verification.NOT_VERIFIED, first[0].verification());
        assertEquals(Verification.NOT_VERIFIED, first[1].verification());
        alice.events().await(ClientEvent.VerificationChanged.class, v -> v.verification() == Verification.NOT_VERIFIED);
        assertEquals(Verification.NOT_VERIFIED, entry(alice, first[0]).verification());
        leave(first, bob);

        // A second connection: the same number. Alice compares it and marks Bob verified.
        Conversation[] second = DeliveryTest.connect(alice, bob);
        assertEquals(Optional.of(number), second[0].safetyNumber());
        assertEquals(Optional.of(number), second[1].safetyNumber());
        second[0].markVerified(true);
        alice.events().await(ClientEvent.VerificationChanged.class, v -> v.verification() == Verification.VERIFIED);
        assertEquals(Verification.VERIFIED, second[0].verification());
        assertEquals(Verification.NOT_VERIFIED, second[1].verification(), "Bob did not mark Alice");
        alice.events().await(ClientEvent.EntryChanged.class, e -> e.entry().verification() == Verification.VERIFIED);
        assertEquals(Verification.VERIFIED, alice.client().verification(bob.client().self()), "for Bob's next request");
        assertEquals(Verification.NOT_VERIFIED, bob.client().verification(alice.client().self()));
        String historyId = second[0].historyId().orElseThrow();
        leave(second, bob);

        // Both restart: the mark is read back from the history, the number is the same.
        restart(alice);
        restart(bob);
        Peers.Person alice2 = onDisk("alice", histories, mailbox);
        Peers.Person bob2 = onDisk("bob", histories, mailbox);
        Peers.meetOnline(work.resolve("mailbox"), alice2, bob2);
        assertEquals(Verification.VERIFIED, alice2.client().conversationList().stream()
                .filter(e -> e.id().equals(historyId)).findFirst().orElseThrow().verification());
        Conversation[] third = DeliveryTest.connect(alice2, bob2);
        assertEquals(Optional.of(number), third[0].safetyNumber());
        assertEquals(Optional.of(number), third[1].safetyNumber());
        assertEquals(number, bob2.events().await(ClientEvent.SafetyNumber.class).number());
        assertEquals(Verification.VERIFIED, third[0].verification());
        assertEquals(Verification.NOT_VERIFIED, third[1].verification());

        // Taking the mark back is kept too.
        third[0].markVerified(false);
        assertEquals(Verification.NOT_VERIFIED, third[0].verification());
        assertFalse(alice2.history().conversation(historyId).orElseThrow().verified());
    }

    @Test
    void aContactWithAnotherKeyShowsKeyChangedAndLosesTheMark() throws Exception {
        HistoryService histories = Peers.service(HistoryService.class);
        InTheMiddle mailbox = Peers.folderProvider();
        Peers.Person alice = onDisk("alice", histories, mailbox);
        Peers.Person bob = onDisk("bob", histories, mailbox);
        Peers.meetOnline(work.resolve("mailbox"), alice, bob);
        Conversation[] first = DeliveryTest.connect(alice, bob);
        alice.events().await(ClientEvent.ContactChecked.class, e -> e.status() == Contact.Status.NEW);
        String number = first[0].safetyNumber().orElseThrow();
        String oldHistoryId = first[0].historyId().orElseThrow();
        first[0].markVerified(true);
        assertTrue(alice.history().conversation(oldHistoryId).orElseThrow().verified());
        leave(first, bob);
        restart(bob);

        // Someone else (or Bob, reinstalled) comes as "bob" with another key.
        Path profile = work.resolve("bob");
        Peers.Person other = Peers.open("bob", profile, Peers.newIdentity(profile), new JsonSettingsStore(profile),
                null, mailbox);
        open.push(other);
        other.client().goOnline(FOLDER);
        ConnectAcceptTest.awaitListed(alice, other);
        Conversation[] changed = DeliveryTest.connect(alice, other);
        ClientEvent.VerificationChanged loud = alice.events().await(ClientEvent.VerificationChanged.class,
                v -> v.verification() == Verification.KEY_CHANGED);
        assertTrue(loud.text().startsWith("Your safety number with bob has changed"), loud.text());
        assertEquals(Verification.KEY_CHANGED, changed[0].verification());
        assertNotEquals(Optional.of(number), changed[0].safetyNumber(), "another key, another number");
        // The mark on the old key is gone, in the history and in the list.
        assertFalse(alice.history().conversation(oldHistoryId).orElseThrow().verified());
        assertEquals(Verification.NOT_VERIFIED, alice.client().verification(first[0].peerIdentity().orElseThrow()));
        assertEquals(Verification.NOT_VERIFIED, alice.client().conversationList().stream()
                .filter(e -> e.id().equals(oldHistoryId)).findFirst().orElseThrow().verification());
        assertEquals(Verification.KEY_CHANGED, entry(alice, changed[0]).verification());

        // The person accepts the new key without comparing: not verified, and bob's key is the new one.
        changed[0].markVerified(false);
        assertEquals(Verification.NOT_VERIFIED, changed[0].verification());
        assertEquals(List.of(other.client().self()), alice.client().contacts().stream()
                .filter(c -> c.name().equals("bob")).map(Contact::identity).toList());
    }

    private static ConversationEntry entry(Peers.Person person, Conversation c) {
        String id = c.historyId().orElseThrow();
        return person.client().conversationList().stream().filter(e -> e.id().equals(id)).findFirst().orElseThrow();
    }

    /** Alice leaves; Bob sees it end. */
    private static void leave(Conversation[] c, Peers.Person bob) throws Exception {
        int before = bob.events().of(ClientEvent.Ended.class).size();
        c[0].leave().get(T, TimeUnit.SECONDS);
        bob.events().await(ClientEvent.Ended.class, e -> bob.events().of(ClientEvent.Ended.class).size() > before);
    }

    /** A person whose profile and history are kept in {@code work/name} (opened again after a restart). */
    private Peers.Person onDisk(String name, HistoryService histories, InTheMiddle provider) throws Exception {
        return Peers.onDisk(name, work.resolve(name), histories, provider, open);
    }

    private static void restart(Peers.Person person) {
        Peers.restart(person);
    }
}
