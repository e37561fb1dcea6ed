package org.p2pchat.client.core.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.client.core.ClientEvent;
import org.p2pchat.client.core.Conversation;
import org.p2pchat.client.core.FileItem;
import org.p2pchat.core.files.TransferFile;
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
        Path inbox = Files.createDirectories(work.resolve("bob-inbox"));
        Files.writeString(inbox.resolve("report.bin"), "bob's own report, kept");
        bobFiles.accept(sent.id(), inbox);
        ClientEvent.TransferChanged received = bob.events().await(ClientEvent.TransferChanged.class,
                t -> t.status().id().equals(sent.id()) && t.status().state() == TransferStatus.State.DONE, 180);
        alice.events().await(ClientEvent.TransferChanged.class,
                t -> t.status().id().equals(sent.id()) && t.status().state() == TransferStatus.State.DONE, 180);
        // The event says where the file was saved: under a free name, the one taken is kept.
        Path saved = inbox.resolve("report (1).bin");
        assertEquals(List.of(Optional.of(saved)), received.item().files().stream().map(TransferFile::savedAs).toList(),
                "where the received file is: " + received.item());
        assertEquals(Optional.of(inbox), received.item().folder());
        assertArrayEquals(content, Files.readAllBytes(saved));
        assertEquals("bob's own report, kept", Files.readString(inbox.resolve("report.bin")));

        // An offer of two files names each; bob declines it, and each side's event says who declined.
        Path notes = Files.writeString(work.resolve("notes.txt"), "notes");
        Path plan = Files.writeString(work.resolve("plan.txt"), "plan");
        TransferStatus second = asking.sendFiles(List.of(notes, plan)).get(T, TimeUnit.SECONDS);
        ClientEvent.TransferChanged both = bob.events().await(ClientEvent.TransferChanged.class,
                t -> t.status().id().equals(second.id()) && t.status().state() == TransferStatus.State.OFFERED);
        assertEquals(List.of("notes.txt", "plan.txt"), both.item().files().stream().map(TransferFile::name).toList());
        bobFiles.decline(second.id());
        ClientEvent.TransferChanged declinedHere = bob.events().await(ClientEvent.TransferChanged.class,
                t -> t.status().id().equals(second.id()) && t.status().state() == TransferStatus.State.DECLINED);
        ClientEvent.TransferChanged declinedThere = alice.events().await(ClientEvent.TransferChanged.class,
                t -> t.status().id().equals(second.id()) && t.status().state() == TransferStatus.State.DECLINED);
        assertEquals(Optional.of(FileItem.Side.YOU), declinedHere.item().declinedBy());
        assertEquals(Optional.of(FileItem.Side.PEER), declinedThere.item().declinedBy());

        // The conversation's transfers, for its history: both, oldest first.
        String history = accepted.historyId().orElseThrow();
        assertEquals(List.of(sent.id(), second.id()),
                bob.client().fileItems(history).stream().map(FileItem::id).toList(), "bob's conversation's transfers");
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
