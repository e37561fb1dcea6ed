package org.p2pchat.files.bt.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.core.PeerSession;
import org.p2pchat.core.PeerTransport;
import org.p2pchat.core.SessionConfig;
import org.p2pchat.core.files.FileTransferService;
import org.p2pchat.core.settings.SettingsStore;
import org.p2pchat.core.files.TransferFile;
import org.p2pchat.core.files.TransferListener;
import org.p2pchat.core.files.TransferStatus;
import org.p2pchat.core.files.TransferStatus.State;
import org.p2pchat.core.identity.IdentityService;
import org.p2pchat.files.bt.internal.BtFileTransferService;
import org.p2pchat.testing.NetworkIsolation;

/** Real transfers between two file services over a real WebRTC connection, in the test namespace. */
class FileTransferTest {

    private static final long MIB = 1 << 20;

    @TempDir
    Path temp;

    private FileTransferService alice;
    private BtFileTransferService bob;
    private IdentityService bobIdentity;
    private FilePeers peers;
    private Path outbox;
    private Path inbox;

    @BeforeAll
    static void isolated() throws Exception {
        NetworkIsolation.requireIsolatedNetwork();
        // Alice's service is the DS component: its name comes from the profile's settings.
        SettingsStore settings = FilePeers.service(SettingsStore.class);
        settings.save(settings.get().withUsername("alice"));
    }

    @BeforeEach
    void connect() throws Exception {
        alice = FilePeers.service(FileTransferService.class);
        bobIdentity = FilePeers.identity(temp.resolve("bob-profile"));
        bob = new BtFileTransferService(temp.resolve("bob-profile"), "bob", bobIdentity);
        outbox = Files.createDirectories(temp.resolve("outbox"));
        inbox = temp.resolve("inbox");
        peers = new FilePeers(alice, bob, bobIdentity.self());
    }

    @AfterEach
    void disconnect() {
        if (peers != null) {
            peers.close();
        }
        bob.close();
    }

    @Test
    void aLargeFileArrivesIntactAndBothSidesSayDone() throws Exception {
        assertTrue(alice.supports(peers.aliceSession));
        assertTrue(bob.supports(peers.bobSession));
        Path file = outbox.resolve("random.bin");
        String sha = FilePeers.randomFile(file, 192 * MIB, 1);

        String id = peers.offerToBob(file);
        TransferStatus offered = peers.bobSaw.latest.get(id);
        assertEquals("random.bin", offered.name());
        assertEquals(192 * MIB, offered.totalBytes());
        assertEquals("alice", offered.peerName());
        assertEquals(List.of(new TransferFile("random.bin", 192 * MIB, "application/octet-stream")), bob.files(id));
        assertEquals(State.WAITING_FOR_PEER, peers.aliceSaw.latest.get(id).state());

        bob.accept(id, inbox);
        TransferStatus done = peers.bobSaw.awaitState(id, State.DONE);
        TransferStatus receipt = peers.aliceSaw.awaitState(id, State.DONE);

        Path received = inbox.resolve("random.bin");
        assertEquals(sha, FilePeers.sha256(received), "SHA-256 of the received file");
        assertEquals(192 * MIB, done.doneBytes());
        assertEquals(192 * MIB, receipt.doneBytes());
        assertFalse(Files.exists(inbox.resolve("random.bin.part")));
        assertEquals(Boolean.TRUE, peers.bobSaw.sawMoving.get(id), "progress with speed and time left");
        // Both peers are on the namespace's network: Bt takes the direct path, and both lists say so.
        assertEquals(TransferStatus.PATH_DIRECT, done.path());
        assertEquals(TransferStatus.PATH_DIRECT, receipt.path());
        assertTrue(bob.transfers().stream().anyMatch(s -> s.id().equals(id) && s.state() == State.DONE));
        // The list survives a restart of the service.
        assertTrue(Files.readString(temp.resolve("bob-profile/transfers.json")).contains(id));
    }

    @Test
    void severalFilesInOneOfferNeverReplaceExistingFiles() throws Exception {
        Path a = outbox.resolve("notes.txt");
        Path b = outbox.resolve("empty.dat");
        Path c = outbox.resolve("photo.bin");
        Files.writeString(a, "hello\n".repeat(1000));
        Files.createFile(b);
        String shaC = FilePeers.randomFile(c, 3 * MIB + 17, 2);
        Files.createDirectories(inbox);
        Files.writeString(inbox.resolve("notes.txt"), "mine, keep");

        String id = peers.offerToBob(a, b, c);
        assertEquals("3 files", peers.bobSaw.latest.get(id).name());
        bob.accept(id, inbox);
        peers.bobSaw.awaitState(id, State.DONE);
        peers.aliceSaw.awaitState(id, State.DONE);

        assertEquals("mine, keep", Files.readString(inbox.resolve("notes.txt")));
        assertEquals("hello\n".repeat(1000), Files.readString(inbox.resolve("notes (1).txt")));
        assertEquals(0, Files.size(inbox.resolve("empty.dat")));
        assertEquals(shaC, FilePeers.sha256(inbox.resolve("photo.bin")));
    }

    @Test
    void aDeclinedOfferEndsOnBothSides() throws Exception {
        Path file = outbox.resolve("unwanted.bin");
        FilePeers.randomFile(file, MIB, 3);
        String id = peers.offerToBob(file);
        bob.decline(id);
        peers.aliceSaw.awaitState(id, State.DECLINED);
        assertEquals(State.DECLINED, peers.bobSaw.latest.get(id).state());
        assertFalse(Files.exists(inbox), "nothing written for a declined offer");
    }

    @Test
    void cancellingMidwayStopsBothSidesAndRemovesThePartialFile() throws Exception {
        Path file = outbox.resolve("big.bin");
        FilePeers.randomFile(file, 256 * MIB, 4);
        String id = peers.offerToBob(file);
        bob.accept(id, inbox);
        peers.bobSaw.await(id, s -> s.doneBytes() > 0, "some progress");
        bob.cancel(id);
        peers.aliceSaw.awaitState(id, State.CANCELLED);
        assertEquals(State.CANCELLED, peers.bobSaw.latest.get(id).state());
        try (Stream<Path> left = Files.list(inbox)) {
            assertEquals(List.of(), left.toList(), "no file or .part left behind");
        }
    }

    @Test
    void theSenderCancelsAnOfferNotYetAnswered() throws Exception {
        Path file = outbox.resolve("second-thoughts.bin");
        FilePeers.randomFile(file, MIB, 5);
        String id = peers.offerToBob(file);
        alice.cancel(id);
        peers.bobSaw.awaitState(id, State.CANCELLED);
    }

    @Test
    void pausedByOneSideResumedByTheOther() throws Exception {
        Path file = outbox.resolve("pausable.bin");
        String sha = FilePeers.randomFile(file, 128 * MIB, 6);
        String id = peers.offerToBob(file);
        TransferStatus pausedAt = acceptAndPauseAtFirstProgress(id);

        // Nothing moves while paused: the bytes on disk stay as they are. (How long this looks only
        // decides how slow a leak it would see; a transfer that goes on changes the file at once.)
        Path part = inbox.resolve("pausable.bin.part");
        String partSha = FilePeers.sha256(part);
        long bridged = bob.bridgedBytes(id);
        Thread.sleep(1000);
        assertEquals(partSha, FilePeers.sha256(part), "the .part changed while paused");
        assertEquals(bridged, bob.bridgedBytes(id), "bytes came in while paused");
        TransferStatus bobPaused = peers.bobSaw.latest.get(id);
        assertEquals(State.PAUSED, bobPaused.state());
        assertTrue(bobPaused.doneBytes() > 0, bobPaused.toString());
        // The sender says the same figure: the bytes Bob really has, not its last report from before the pause.
        TransferStatus alicePaused = peers.aliceSaw.await(id,
                s -> s.state() == State.PAUSED && s.doneBytes() == bobPaused.doneBytes(), "Alice shows where Bob paused");
        System.out.println("pause: at " + pausedAt.doneBytes() + " of " + pausedAt.totalBytes()
                + " bytes, " + bridged + " bytes had come in; paused at " + bobPaused.doneBytes() + " (Bob) and "
                + alicePaused.doneBytes() + " (Alice)");

        alice.resume(id);
        peers.bobSaw.await(id, s -> s.state() == State.RUNNING || s.state() == State.DONE, "running again");
        peers.bobSaw.awaitState(id, State.DONE);
        peers.aliceSaw.awaitState(id, State.DONE);
        assertEquals(sha, FilePeers.sha256(inbox.resolve("pausable.bin")));
    }

    /**
     * A paused transfer whose sender restarts: the sender still says how far the receiver got (it
     * said "Paused at 0 B" while the receiver had 17 MiB), and resuming goes on from there.
     */
    @Test
    void aPausedSenderThatRestartsShowsWhereTheReceiverStopped() throws Exception {
        long size = 128 * MIB;
        Path file = outbox.resolve("paused-by-alice.bin");
        String sha = FilePeers.randomFile(file, size, 15);
        Path aliceInbox = temp.resolve("alice-inbox");
        String id = peers.offerToAlice(file);
        alice.accept(id, aliceInbox);
        peers.aliceSaw.await(id, s -> s.doneBytes() >= size / 5, "20% done");
        alice.pause(id);
        long aliceHas = peers.aliceSaw.awaitState(id, State.PAUSED).doneBytes();
        TransferStatus bobPaused = peers.bobSaw.await(id, s -> s.state() == State.PAUSED && s.doneBytes() == aliceHas,
                "Bob shows where Alice paused");

        // Bob's app goes away while the transfer is paused, and starts again on the same profile.
        bob.close();
        peers.close();
        bob = new BtFileTransferService(temp.resolve("bob-profile"), "bob", bobIdentity);
        TransferStatus restored = bob.transfers().stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow();
        assertEquals(State.PAUSED, restored.state());
        assertEquals(aliceHas, restored.doneBytes(), "the restarted sender shows the bytes Alice has: " + restored);

        peers = new FilePeers(alice, bob, bobIdentity.self());
        peers.bobSaw.await(id, s -> s.state() == State.PAUSED && s.doneBytes() == aliceHas, "still paused where it was");
        bob.resume(id);
        peers.aliceSaw.awaitState(id, State.DONE);
        peers.bobSaw.awaitState(id, State.DONE);
        assertEquals(sha, FilePeers.sha256(aliceInbox.resolve("paused-by-alice.bin")));
        System.out.println("paused sender restart: paused at " + aliceHas + " of " + size + " bytes; Bob showed "
                + bobPaused.doneBytes() + " before and " + restored.doneBytes() + " after his restart");
    }

    /**
     * Bob accepts and pauses at his first progress. His service tells listeners on the thread that
     * would also finish the transfer, so it cannot be done before the pause, however fast the
     * machine. Returns the status he paused at, once both sides say PAUSED.
     */
    private TransferStatus acceptAndPauseAtFirstProgress(String id) throws Exception {
        AtomicReference<TransferStatus> pausedAt = new AtomicReference<>();
        TransferListener pauseAtFirstProgress = s -> {
            if (s.id().equals(id) && s.state() == State.RUNNING && s.doneBytes() > 0
                    && pausedAt.compareAndSet(null, s)) {
                bob.pause(id);
            }
        };
        bob.addListener(pauseAtFirstProgress);
        try {
            bob.accept(id, inbox);
            peers.bobSaw.awaitState(id, State.PAUSED);
            peers.aliceSaw.awaitState(id, State.PAUSED);
        } finally {
            bob.removeListener(pauseAtFirstProgress);
        }
        return pausedAt.get();
    }

    @Test
    void aCorruptedPieceIsDetectedAndFetchedAgain() throws Exception {
        long size = 64 * MIB;
        Path file = outbox.resolve("fragile.bin");
        String sha = FilePeers.randomFile(file, size, 15);
        String id = peers.offerToBob(file);
        TransferStatus pausedAt = acceptAndPauseAtFirstProgress(id);
        assertTrue(pausedAt.doneBytes() > 0, pausedAt.toString());

        // One byte in every 16 KiB of what is on disk is flipped: every piece Bt had checked is now
        // damaged, and nothing on disk may be trusted when the transfer goes on.
        Path part = inbox.resolve("fragile.bin.part");
        int flipped = 0;
        try (FileChannel channel = FileChannel.open(part, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            for (long at = 0; at < channel.size(); at += 16 * 1024) {
                one.clear();
                channel.read(one, at);
                one.flip();
                byte b = one.get();
                channel.write(ByteBuffer.wrap(new byte[] { (byte) ~b }), at);
                flipped++;
            }
        }
        long bridgedBefore = bob.bridgedBytes(id);

        alice.resume(id);
        peers.bobSaw.awaitState(id, State.DONE);
        peers.aliceSaw.awaitState(id, State.DONE);
        assertEquals(sha, FilePeers.sha256(inbox.resolve("fragile.bin")), "SHA-256 of the received file");
        long again = bob.bridgedBytes(id) - bridgedBefore;
        System.out.println("corrupted: " + flipped + " bytes flipped after " + pausedAt.doneBytes()
                + " bytes were verified; " + again + " of " + size + " bytes transferred after it");
        assertTrue(again >= size, "every damaged piece fetched again: " + again + " of " + size + " bytes after it");
    }

    @Test
    void aHostileNameIsMadeSafe() throws Exception {
        // Legal on Linux, dangerous elsewhere or when shown: dots, backslashes, a bell, a
        // right-to-left override, a Windows device name, and a length past what some systems take.
        String hostile = "..\\..\\CON.\u0007evil\u202Etxt.exe" + "x".repeat(180) + ".bin";
        Path file = outbox.resolve(hostile);
        String sha = FilePeers.randomFile(file, 2 * MIB, 7);
        String id = peers.offerToBob(file);
        String shown = peers.bobSaw.latest.get(id).name();
        assertFalse(shown.contains("\\") || shown.contains("\u0007") || shown.contains("\u202E") || shown.startsWith("."),
                shown);
        bob.accept(id, inbox);
        peers.bobSaw.awaitState(id, State.DONE);
        try (Stream<Path> files = Files.list(inbox)) {
            List<Path> all = files.toList();
            assertEquals(1, all.size(), all.toString());
            Path received = all.get(0);
            assertEquals(inbox, received.getParent());
            assertEquals(shown, received.getFileName().toString());
            assertTrue(received.getFileName().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= 200);
            assertEquals(sha, FilePeers.sha256(received));
        }
    }

    @Test
    void aVanishedSourceFailsItsTransferAndTheOtherGoesOn() throws Exception {
        Path doomed = outbox.resolve("doomed.bin");
        Path fine = outbox.resolve("fine.bin");
        FilePeers.randomFile(doomed, 256 * MIB, 8);
        String sha = FilePeers.randomFile(fine, 64 * MIB, 9);
        String doomedId = peers.offerToBob(doomed);
        String fineId = peers.offerToBob(fine);
        bob.accept(doomedId, inbox);
        bob.accept(fineId, inbox);
        peers.aliceSaw.awaitState(doomedId, State.RUNNING);
        Files.delete(doomed);

        TransferStatus failed = peers.bobSaw.awaitState(doomedId, State.FAILED);
        assertTrue(failed.problem().contains("doomed.bin") && failed.problem().contains("deleted"), failed.problem());
        assertEquals(State.FAILED, peers.aliceSaw.awaitState(doomedId, State.FAILED).state());
        peers.bobSaw.awaitState(fineId, State.DONE);
        assertEquals(sha, FilePeers.sha256(inbox.resolve("fine.bin")));
        assertFalse(Files.exists(inbox.resolve("doomed.bin.part")));
    }

    @Test
    void aFullDiskFailsItsTransferAndTheOtherGoesOn() throws Exception {
        String smallFs = System.getenv("P2PCHAT_SMALL_FS");
        if (smallFs == null || smallFs.isBlank()) {
            fail("P2PCHAT_SMALL_FS is not set: this test fills a small disk for real. Run the tests under "
                    + "releng/scripts/testnet.sh (./run-tests.sh does), which mounts a 16 MiB tmpfs and names it there.");
        }
        Path full = Files.createDirectories(Path.of(smallFs).resolve("inbox-" + System.nanoTime()));
        long free = Files.getFileStore(full).getUsableSpace();
        Path tooBig = outbox.resolve("too-big.bin");
        Path fits = outbox.resolve("fits.bin");
        FilePeers.randomFile(tooBig, 64 * MIB, 11);
        String sha = FilePeers.randomFile(fits, 256 * MIB, 12);
        assertTrue(free < 64 * MIB, "the small file system has " + free + " bytes free");

        String tooBigId = peers.offerToBob(tooBig);
        String fitsId = peers.offerToBob(fits);
        long start = System.nanoTime();
        bob.accept(tooBigId, full);
        bob.accept(fitsId, inbox);

        TransferStatus failed = peers.bobSaw.awaitState(tooBigId, State.FAILED);
        double failedAfter = (System.nanoTime() - start) / 1e9;
        String problem = failed.problem();
        assertTrue(problem.startsWith("No space left in " + full + " ") && problem.contains("too-big.bin")
                && problem.contains("free some space"), problem);
        assertEquals(problem, peers.aliceSaw.awaitState(tooBigId, State.FAILED).problem(), "the sender says the same");
        try (Stream<Path> left = Files.list(full)) {
            assertEquals(List.of(), left.toList(), "the .part is removed, which frees the disk");
        }

        // The other was under way when this one failed. The service tells its listeners in the order
        // things happen, so this holds on a machine of any speed (on a fast one it may be done by then).
        List<TransferStatus> events = peers.bobSaw.events();
        int failedAt = events.indexOf(failed);
        TransferStatus other = events.subList(0, failedAt).reversed().stream()
                .filter(s -> s.id().equals(fitsId)).findFirst().orElseThrow();
        assertTrue(other.state() == State.RUNNING || other.state() == State.VERIFYING || other.state() == State.DONE,
                "the other transfer was under way when this one failed: " + other);

        // It ends intact, and the failure never touched it on either side: it never stopped, failed or
        // started over.
        peers.bobSaw.await(fitsId, s -> s.state().isFinal(), "an end");
        peers.aliceSaw.await(fitsId, s -> s.state().isFinal(), "an end");
        assertRanStraightThrough(peers.bobSaw.history(fitsId));
        assertRanStraightThrough(peers.aliceSaw.history(fitsId));
        assertEquals(sha, FilePeers.sha256(inbox.resolve("fits.bin")));
        System.out.printf("full disk: failed after %.1f s with \"%s\"; the other was %s at %d of %d bytes then%n",
                failedAfter, problem, other.state(), other.doneBytes(), other.totalBytes());

        // The service goes on: a further transfer works, even into the folder that was full.
        Path after = outbox.resolve("after.bin");
        String afterSha = FilePeers.randomFile(after, 2 * MIB, 13);
        String afterId = peers.offerToBob(after);
        bob.accept(afterId, full);
        peers.bobSaw.awaitState(afterId, State.DONE);
        peers.aliceSaw.awaitState(afterId, State.DONE);
        assertEquals(afterSha, FilePeers.sha256(full.resolve("after.bin")));
        Files.delete(full.resolve("after.bin"));
        Files.delete(full);
    }

    /**
     * From the moment it started running, a transfer only ran, was verified and was done, and its
     * verified bytes never went back.
     */
    private static void assertRanStraightThrough(List<TransferStatus> history) {
        int started = 0;
        while (started < history.size() && history.get(started).state() != State.RUNNING) {
            started++;
        }
        assertTrue(started < history.size(), "never ran: " + history);
        long done = 0;
        for (TransferStatus s : history.subList(started, history.size())) {
            assertTrue(s.state() == State.RUNNING || s.state() == State.VERIFYING || s.state() == State.DONE,
                    "went " + s.state() + " on the way: " + s);
            assertTrue(s.doneBytes() >= done, "went back from " + done + " bytes: " + s);
            done = s.doneBytes();
        }
        assertEquals(State.DONE, history.getLast().state(), history.getLast().toString());
    }

    @Test
    void anUnconnectedPeerIsNotOfferedFiles() throws Exception {
        PeerSession lonely = FilePeers.service(PeerTransport.class).createSession(SessionConfig.of(List.of(), "x"));
        try {
            assertFalse(alice.supports(lonely), "no join notice, no files");
        } finally {
            lonely.close();
        }
    }

    @Test
    void anInterruptedDownloadResumesWithoutStartingOver() throws Exception {
        long size = 256 * MIB;
        Path file = outbox.resolve("resumable.bin");
        String sha = FilePeers.randomFile(file, size, 10);
        String id = peers.offerToBob(file);
        bob.accept(id, inbox);
        peers.bobSaw.await(id, s -> s.doneBytes() >= size * 2 / 5, "40% done");

        // Bob's app goes away: its service and session close; Alice's session sees the peer leave.
        bob.close();
        peers.bobSession.close();
        peers.aliceSaw.awaitState(id, State.INTERRUPTED);
        peers.close();
        assertTrue(Files.exists(inbox.resolve("resumable.bin.part")));

        // Bob starts again on the same profile and reconnects.
        bob = new BtFileTransferService(temp.resolve("bob-profile"), "bob", bobIdentity);
        TransferStatus restored = bob.transfers().stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow();
        assertEquals(State.INTERRUPTED, restored.state());
        assertTrue(restored.doneBytes() >= size * 2 / 5, "progress remembered: " + restored.doneBytes());
        peers = new FilePeers(alice, bob, bobIdentity.self());
        peers.bobSaw.awaitState(id, State.DONE);
        peers.aliceSaw.awaitState(id, State.DONE);

        assertEquals(sha, FilePeers.sha256(inbox.resolve("resumable.bin")));
        long again = bob.bridgedBytes(id);
        System.out.println("resume: " + restored.doneBytes() + " bytes verified on disk at restart, "
                + again + " of " + size + " bytes transferred after it");
        assertTrue(again > 0 && again < size * 4 / 5, "downloaded after the restart: " + again + " of " + size);
    }

    @Test
    void aSenderThatRestartsResumesWithoutStartingOver() throws Exception {
        long size = 256 * MIB;
        Path file = outbox.resolve("from-bob.bin");
        String sha = FilePeers.randomFile(file, size, 14);
        Path aliceInbox = temp.resolve("alice-inbox");
        String id = peers.offerToAlice(file);
        alice.accept(id, aliceInbox);
        peers.aliceSaw.await(id, s -> s.doneBytes() >= size * 2 / 5, "40% done");

        // Bob's app goes away while it sends: its service and session close; Alice's session sees the peer leave.
        bob.close();
        peers.bobSession.close();
        TransferStatus interrupted = peers.aliceSaw.awaitState(id, State.INTERRUPTED);
        long bridgedBefore = ((BtFileTransferService) alice).bridgedBytes(id);
        peers.close();
        assertTrue(Files.exists(aliceInbox.resolve("from-bob.bin.part")));

        // Bob starts again on the same profile and reconnects; his transfer waits for Alice.
        bob = new BtFileTransferService(temp.resolve("bob-profile"), "bob", bobIdentity);
        TransferStatus restored = bob.transfers().stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow();
        assertEquals(State.INTERRUPTED, restored.state());
        assertEquals(TransferStatus.Direction.SENDING, restored.direction());
        long start = System.nanoTime();
        peers = new FilePeers(alice, bob, bobIdentity.self());
        peers.aliceSaw.awaitState(id, State.DONE);
        peers.bobSaw.awaitState(id, State.DONE);
        double seconds = (System.nanoTime() - start) / 1e9;

        assertEquals(sha, FilePeers.sha256(aliceInbox.resolve("from-bob.bin")));
        long again = ((BtFileTransferService) alice).bridgedBytes(id) - bridgedBefore;
        System.out.printf("sender restart: %d bytes verified when Bob left, %d of %d bytes transferred after his "
                + "restart, done %.1f s after reconnecting%n", interrupted.doneBytes(), again, size, seconds);
        assertTrue(again > 0 && again < size * 4 / 5, "sent after the restart: " + again + " of " + size);
    }
}
