package org.p2pchat.files.bt.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.core.files.FileSettings;
import org.p2pchat.core.files.FileTransferService;
import org.p2pchat.core.files.TransferListener;
import org.p2pchat.core.files.TransferStatus;
import org.p2pchat.core.files.TransferStatus.State;
import org.p2pchat.core.settings.ServiceEntry;
import org.p2pchat.core.settings.Settings;
import org.p2pchat.core.settings.SettingsStore;
import org.p2pchat.core.identity.IdentityService;
import org.p2pchat.files.bt.internal.BtFileTransferService;
import org.p2pchat.files.bt.internal.PlainSeed;
import org.p2pchat.testing.NetworkIsolation;
import org.p2pchat.testing.OpenTracker;

/**
 * Trackers the user selected, with a real opentracker in the test namespace: the offered torrent
 * names the selected udp:// tracker, both peers announce to it, and a plain BitTorrent client that
 * only the tracker knows of serves the file when the chat peer's own seed does not.
 */
class TrackerTest {

    private static final long MIB = 1 << 20;
    private static final int TRACKER_PORT = 6969;
    /** Below the service's 60 s limit for a call, which waits while Bob's thread is held. */
    private static final long SWARM_WAIT_WHILE_HELD_SECONDS = 50;
    private static final String TRACKER_URL = "udp://" + NetworkIsolation.TEST_ADDRESS + ":" + TRACKER_PORT + "/announce";

    @TempDir
    Path temp;

    private SettingsStore settings;
    private Settings before;
    private FileSettings beforeFiles;
    private BtFileTransferService alice;
    private BtFileTransferService bob;
    private FilePeers peers;
    private OpenTracker tracker;
    private PlainSeed stranger;

    @BeforeAll
    static void isolated() {
        NetworkIsolation.requireIsolatedNetwork();
    }

    @AfterEach
    void stop() throws Exception {
        if (alice != null) {
            alice.serveChatPeer(true);
        }
        if (stranger != null) {
            stranger.close();
        }
        if (peers != null) {
            peers.close();
        }
        if (bob != null) {
            bob.close();
        }
        if (tracker != null) {
            tracker.close();
        }
        if (before != null) {
            settings.save(before);
            settings.section(FileSettings.SECTION).write(beforeFiles);
        }
    }

    @Test
    void aPeerFoundThroughTheSelectedTrackerServesTheFile() throws Exception {
        // Alice is the DS component: her trackers come from the profile's settings. The wss://
        // one (a WebTorrent tracker, as the defaults are) cannot be used by our engine: skipped.
        settings = FilePeers.service(SettingsStore.class);
        before = settings.get();
        ServiceEntry selected = new ServiceEntry("Test tracker", TRACKER_URL, true, false);
        beforeFiles = settings.section(FileSettings.SECTION).read(FileSettings.class, FileSettings::defaults);
        settings.save(before.withUsername("alice"));
        settings.section(FileSettings.SECTION).write(new FileSettings(List.of(selected,
                new ServiceEntry("WebTorrent tracker", "wss://tracker.invalid", true, false),
                new ServiceEntry("Not selected", "udp://" + NetworkIsolation.TEST_PEER_ADDRESS + ":1/announce", false,
                        false))));
        alice = (BtFileTransferService) FilePeers.service(FileTransferService.class);
        IdentityService bobIdentity = FilePeers.identity(temp.resolve("bob-profile"));
        bob = new BtFileTransferService(temp.resolve("bob-profile"), "bob", bobIdentity, true, () -> List.of(selected));
        peers = new FilePeers(alice, bob, bobIdentity.self());

        long size = 64 * MIB;
        Path file = Files.createDirectories(temp.resolve("outbox")).resolve("tracked.bin");
        String sha = FilePeers.randomFile(file, size, 31);
        String id = peers.offerToBob(file);
        byte[] torrent = alice.torrent(id, 0);
        assertEquals(List.of(TRACKER_URL), PlainSeed.trackers(torrent), "the offer names the selected udp:// tracker");

        tracker = OpenTracker.start(temp.resolve("tracker"), NetworkIsolation.TEST_ADDRESS, TRACKER_PORT,
                List.of(PlainSeed.infoHash(torrent)));
        assertEquals(TRACKER_URL, tracker.udpUrl());
        // A stranger on the namespace's other address seeds the same file and announces it.
        Path copy = Files.createDirectories(temp.resolve("stranger")).resolve("tracked.bin");
        Files.copy(file, copy);
        stranger = PlainSeed.start(copy, torrent, InetAddress.getByName(NetworkIsolation.TEST_PEER_ADDRESS));
        stranger.awaitReady(60);
        awaitSwarm(s -> s.peers() >= 1, "the stranger's announce");

        // Alice's own seed refuses Bob's connections: only a peer found through the tracker can serve him.
        alice.serveChatPeer(false);
        // Bob looks at the swarm when his transfer starts, on his service's thread: that thread would
        // also end the transfer and leave the swarm, so all three stay until the tracker lists them.
        CompletableFuture<OpenTracker.Swarm> duringTransfer = new CompletableFuture<>();
        TransferListener lookAtTheSwarm = status -> {
            if (status.id().equals(id) && status.state() == State.RUNNING && !duringTransfer.isDone()) {
                try {
                    duringTransfer.complete(awaitSwarm(s -> s.peers() == 3, "Alice, Bob and the stranger",
                            SWARM_WAIT_WHILE_HELD_SECONDS));
                } catch (Throwable e) {
                    duringTransfer.completeExceptionally(e);
                }
            }
        };
        bob.addListener(lookAtTheSwarm);
        long start = System.nanoTime();
        TransferStatus received;
        try {
            bob.accept(id, temp.resolve("inbox"));
            received = peers.bobSaw.awaitState(id, State.DONE);
            peers.aliceSaw.awaitState(id, State.DONE);
        } finally {
            bob.removeListener(lookAtTheSwarm);
        }
        OpenTracker.Swarm during = duringTransfer.join(); // done by now: Bob's thread completed it before DONE
        double seconds = (System.nanoTime() - start) / 1e9;

        assertEquals(sha, FilePeers.sha256(temp.resolve("inbox").resolve("tracked.bin")), "SHA-256 of the received file");
        assertEquals(size, received.doneBytes());
        long fromStranger = stranger.uploaded();
        long throughChat = bob.bridgedBytes(id);
        // Alice and Bob announced, each to their own selection, and said "stopped" when done.
        OpenTracker.Swarm after = awaitSwarm(s -> s.peers() == 1, "Alice and Bob leaving");
        System.out.printf("tracker: %d MiB in %.1f s; the stranger sent %d bytes (as Bt counts), the chat peer %d; "
                + "the tracker knew %d peers during it, %d after%n", size / MIB, seconds, fromStranger, throughChat,
                during.peers(), after.peers());
        assertEquals(0, throughChat, "nothing came from Alice's seed");
        assertTrue(fromStranger > size / 2, "the stranger sent " + fromStranger + " bytes");
    }

    private OpenTracker.Swarm awaitSwarm(Predicate<OpenTracker.Swarm> wanted, String what) throws Exception {
        return awaitSwarm(wanted, what, FilePeers.TIMEOUT_SECONDS);
    }

    /** Polls the tracker until {@code wanted}; the limit only matters when something is broken. */
    private OpenTracker.Swarm awaitSwarm(Predicate<OpenTracker.Swarm> wanted, String what, long seconds)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        OpenTracker.Swarm swarm = tracker.swarm();
        while (!wanted.test(swarm)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the tracker never saw " + what + "; it knows " + swarm);
            }
            Thread.sleep(100);
            swarm = tracker.swarm();
        }
        return swarm;
    }
}
