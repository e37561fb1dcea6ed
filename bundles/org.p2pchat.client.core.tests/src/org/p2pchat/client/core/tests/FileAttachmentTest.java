package org.p2pchat.client.core.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.client.core.ClientEvent;
import org.p2pchat.client.core.Conversation;
import org.p2pchat.core.files.TransferStatus;
import org.p2pchat.files.bt.internal.BtFileTransferService;

/**
 * The client layer hands its sessions to a real file transfer on each side (attached before
 * negotiating, told the key the peer proved): a file offered in one conversation arrives whole in
 * the other, and both clients report the transfer.
 */
class FileAttachmentTest {

    static final long T = Events.TIMEOUT_SECONDS;
    static final String FOLDER = org.p2pchat.testing.provider.FolderMailboxProvider.ID;

    @TempDir
    Path work;
    InTheMiddle mailbox;
    BtFileTransferService aliceFiles;
    BtFileTransferService bobFiles;
    Peers.Person alice;
    Peers.Person bob;

    @BeforeEach
    void start() throws Exception {
        mailbox = Peers.folderProvider();
        Path aliceProfile = Files.createDirectories(work.resolve("alice"));
        Path bobProfile = Files.createDirectories(work.resolve("bob"));
        var aliceIdentity = new org.p2pchat.core.internal.identity.Ed25519IdentityService(aliceProfile);
        var bobIdentity = new org.p2pchat.core.internal.identity.Ed25519IdentityService(bobProfile);
        // Data channel only: the direct TCP path is the file transfer's business, tested beside it.
        aliceFiles = new BtFileTransferService(aliceProfile, "alice", aliceIdentity, false);
        bobFiles = new BtFileTransferService(bobProfile, "bob", bobIdentity, false);
        alice = Peers.open("alice", aliceProfile, aliceIdentity, settings(aliceProfile, "alice"), aliceFiles, mailbox);
        bob = Peers.open("bob", bobProfile, bobIdentity, settings(bobProfile, "bob"), bobFiles, mailbox);
        Peers.meetOnline(work.resolve("mailbox"), alice, bob);
    }

    static org.p2pchat.core.settings.SettingsStore settings(Path profile, String name) throws Exception {
        var store = new org.p2pchat.core.internal.settings.JsonSettingsStore(profile);
        store.save(org.p2pchat.core.settings.Settings.defaults().withUsername(name).withIceServers(List.of()));
        return store;
    }

    @AfterEach
    void stop() {
        alice.close();
        bob.close();
        aliceFiles.close();
        bobFiles.close();
    }

    @Test
    void aFileOfferedInOneConversationArrivesInTheOther() throws Exception {
        Conversation asking = alice.client().connect(
                alice.client().find(FOLDER, "bob", Duration.ofSeconds(10)).get(T, TimeUnit.SECONDS));
        Conversation accepted = bob.client().accept(bob.events().await(ClientEvent.RequestReceived.class).request());
        asking.connected().get(T, TimeUnit.SECONDS);
        accepted.connected().get(T, TimeUnit.SECONDS);
        awaitCanSendFiles(asking);

        byte[] content = new byte[3 << 20];
        new Random(7).nextBytes(content);
        Path file = Files.write(work.resolve("report.bin"), content);
        TransferStatus sent = asking.sendFiles(List.of(file)).get(T, TimeUnit.SECONDS);

        ClientEvent.TransferChanged offered = bob.events().await(ClientEvent.TransferChanged.class,
                t -> t.status().id().equals(sent.id()) && t.status().state() == TransferStatus.State.OFFERED);
        assertEquals("alice", offered.status().peerName());
        Path inbox = work.resolve("bob-inbox");
        bobFiles.accept(sent.id(), inbox);
        bob.events().await(ClientEvent.TransferChanged.class,
                t -> t.status().id().equals(sent.id()) && t.status().state() == TransferStatus.State.DONE, 180);
        alice.events().await(ClientEvent.TransferChanged.class,
                t -> t.status().id().equals(sent.id()) && t.status().state() == TransferStatus.State.DONE, 180);
        assertArrayEquals(content, Files.readAllBytes(inbox.resolve("report.bin")));
    }

    /** What quitting would end: the conversations going on and the transfers moving, named for the question. */
    @Test
    void whatQuittingWouldEndIsTheLiveConversationsAndTheMovingTransfers() throws Exception {
        assertTrue(alice.client().ongoing().isEmpty(), "nothing before a conversation");
        Conversation asking = alice.client().connect(
                alice.client().find(FOLDER, "bob", Duration.ofSeconds(10)).get(T, TimeUnit.SECONDS));
        Conversation accepted = bob.client().accept(bob.events().await(ClientEvent.RequestReceived.class).request());
        asking.connected().get(T, TimeUnit.SECONDS);
        accepted.connected().get(T, TimeUnit.SECONDS);
        awaitCanSendFiles(asking);
        assertEquals(List.of(asking), alice.client().ongoing().conversations());
        assertEquals("1 conversation", alice.client().ongoing().summary());

        byte[] content = new byte[64 << 20];
        new Random(8).nextBytes(content);
        Path file = Files.write(work.resolve("big.bin"), content);
        TransferStatus sent = asking.sendFiles(List.of(file)).get(T, TimeUnit.SECONDS);
        bob.events().await(ClientEvent.TransferChanged.class,
                t -> t.status().id().equals(sent.id()) && t.status().state() == TransferStatus.State.OFFERED);
        assertTrue(alice.client().ongoing().transfers().isEmpty(), "an offer not accepted yet moves nothing");
        bobFiles.accept(sent.id(), work.resolve("bob-inbox"));
        bob.events().await(ClientEvent.TransferChanged.class, t -> t.status().id().equals(sent.id())
                && t.status().state() == TransferStatus.State.RUNNING && t.status().doneBytes() > 0, 180);
        var moving = bob.client().ongoing();
        assertEquals(List.of(sent.id()), moving.transfers().stream().map(TransferStatus::id).toList(), moving.toString());
        assertEquals("1 conversation and 1 transfer", moving.summary());

        bob.events().await(ClientEvent.TransferChanged.class,
                t -> t.status().id().equals(sent.id()) && t.status().state() == TransferStatus.State.DONE, 180);
        assertTrue(bob.client().ongoing().transfers().isEmpty(), "a finished transfer is not ended by quitting");
        asking.leave().get(T, TimeUnit.SECONDS);
        assertTrue(alice.client().ongoing().isEmpty(), "a conversation left is over: " + alice.client().ongoing());
        assertEquals("", alice.client().ongoing().summary());
    }

    static void awaitCanSendFiles(Conversation c) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(T);
        while (!c.canSendFiles()) {
            assertTrue(System.nanoTime() < deadline, "files can be sent once the peer said what client it runs");
            Thread.sleep(50);
        }
    }
}
