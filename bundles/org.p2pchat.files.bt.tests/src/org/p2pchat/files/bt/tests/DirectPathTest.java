package org.p2pchat.files.bt.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.core.files.FileTransferService;
import org.p2pchat.core.files.TransferStatus;
import org.p2pchat.core.files.TransferStatus.State;
import org.p2pchat.core.settings.SettingsStore;
import org.p2pchat.core.identity.IdentityService;
import org.p2pchat.files.bt.internal.BtFileTransferService;
import org.p2pchat.files.bt.internal.DirectLink;
import org.p2pchat.testing.NetworkIsolation;

/**
 * Which path a transfer takes between two real peers in the test namespace: the encrypted direct
 * connection when it works, the data-channel bridge when it is off or cannot connect, and a
 * stranger at the direct listener changes nothing.
 */
class DirectPathTest {

    private static final long MIB = 1 << 20;

    @TempDir
    Path temp;

    private BtFileTransferService alice;
    private BtFileTransferService bob;
    private FilePeers peers;

    @BeforeAll
    static void isolated() throws Exception {
        NetworkIsolation.requireIsolatedNetwork();
        SettingsStore settings = FilePeers.service(SettingsStore.class);
        settings.save(settings.get().withUsername("alice"));
    }

    /** Alice is the DS component (direct path on by default); Bob as the test wants him. */
    private void connect(boolean bobAllowsDirect) throws Exception {
        alice = (BtFileTransferService) FilePeers.service(FileTransferService.class);
        IdentityService bobIdentity = FilePeers.identity(temp.resolve("bob-profile"));
        bob = new BtFileTransferService(temp.resolve("bob-profile"), "bob", bobIdentity, bobAllowsDirect);
        peers = new FilePeers(alice, bob, bobIdentity.self());
    }

    @AfterEach
    void disconnect() {
        if (alice != null) {
            alice.rewriteDirectOffers(null);
        }
        if (peers != null) {
            peers.close();
        }
        if (bob != null) {
            bob.close();
        }
    }

    /** Sends a file of {@code size} random bytes from Alice to Bob and checks it; returns both sides' final status. */
    private TransferStatus[] send(String name, long size, long seed) throws Exception {
        Path file = Files.createDirectories(temp.resolve("outbox")).resolve(name);
        String sha = FilePeers.randomFile(file, size, seed);
        String id = peers.offerToBob(file);
        bob.accept(id, temp.resolve("inbox"));
        return finish(id, name, sha);
    }

    private TransferStatus[] finish(String id, String name, String sha) throws Exception {
        TransferStatus received = peers.bobSaw.awaitState(id, State.DONE);
        TransferStatus sent = peers.aliceSaw.awaitState(id, State.DONE);
        assertEquals(sha, FilePeers.sha256(temp.resolve("inbox").resolve(name)), "SHA-256 of the received file");
        return new TransferStatus[] { sent, received };
    }

    @Test
    void aTransferOnTheLocalNetworkGoesDirect() throws Exception {
        connect(true);
        TransferStatus[] done = send("direct.bin", 96 * MIB, 21);
        assertEquals(TransferStatus.PATH_DIRECT, done[0].path());
        assertEquals(TransferStatus.PATH_DIRECT, done[1].path());
    }

    @Test
    void withTheDirectPathOffALargeFileGoesThroughTheDataChannel() throws Exception {
        connect(false);
        TransferStatus[] done = send("bridged.bin", 192 * MIB, 22);
        assertEquals(TransferStatus.PATH_DATA_CHANNEL, done[0].path());
        assertEquals(TransferStatus.PATH_DATA_CHANNEL, done[1].path());
    }

    @Test
    void thePropertyKeepsEveryTransferOnTheDataChannelAndTheListSaysSo() throws Exception {
        // Bob's client runs as P2PCHAT_VMARGS=-Dp2pchat.files.directPath=false starts it; Alice allows it.
        alice = (BtFileTransferService) FilePeers.service(FileTransferService.class);
        IdentityService bobIdentity = FilePeers.identity(temp.resolve("bob-profile"));
        String before = System.getProperty(BtFileTransferService.DIRECT_PATH_PROPERTY);
        System.setProperty(BtFileTransferService.DIRECT_PATH_PROPERTY, "false");
        try {
            bob = new BtFileTransferService(temp.resolve("bob-profile"), "bob", bobIdentity);
        } finally {
            if (before == null) {
                System.clearProperty(BtFileTransferService.DIRECT_PATH_PROPERTY);
            } else {
                System.setProperty(BtFileTransferService.DIRECT_PATH_PROPERTY, before);
            }
        }
        peers = new FilePeers(alice, bob, bobIdentity.self());

        // Bob receives: he asks for no direct connection.
        TransferStatus[] toBob = send("to-bob.bin", 32 * MIB, 26);
        assertEquals(TransferStatus.PATH_DATA_CHANNEL, toBob[0].path());
        assertEquals(TransferStatus.PATH_DATA_CHANNEL, toBob[1].path());

        // Bob sends: he offers none.
        Path file = Files.createDirectories(temp.resolve("bob-outbox")).resolve("from-bob.bin");
        String sha = FilePeers.randomFile(file, 32 * MIB, 27);
        String fromBob = peers.offerToAlice(file);
        alice.accept(fromBob, temp.resolve("alice-inbox"));
        TransferStatus received = peers.aliceSaw.awaitState(fromBob, State.DONE);
        TransferStatus sent = peers.bobSaw.awaitState(fromBob, State.DONE);
        assertEquals(sha, FilePeers.sha256(temp.resolve("alice-inbox").resolve("from-bob.bin")));
        assertEquals(TransferStatus.PATH_DATA_CHANNEL, received.path());
        assertEquals(TransferStatus.PATH_DATA_CHANNEL, sent.path());

        // The transfer lists say which, on both sides.
        for (BtFileTransferService side : List.of(alice, bob)) {
            for (String id : List.of(toBob[0].id(), fromBob)) {
                assertEquals(TransferStatus.PATH_DATA_CHANNEL, side.transfers().stream()
                        .filter(s -> s.id().equals(id)).findFirst().orElseThrow().path());
            }
        }
    }

    @Test
    void whenNothingAnswersAtTheOfferedAddressTheDataChannelCarriesTheFile() throws Exception {
        connect(true);
        InetSocketAddress closed = closedPort();
        alice.rewriteDirectOffers(endpoints -> List.of(closed));
        long start = System.nanoTime();
        TransferStatus[] done = send("fallback.bin", 32 * MIB, 23);
        assertEquals(TransferStatus.PATH_DATA_CHANNEL, done[0].path());
        assertEquals(TransferStatus.PATH_DATA_CHANNEL, done[1].path());
        System.out.printf("fallback: 32 MiB over the data channel after a refused direct connection in %.1f s%n",
                (System.nanoTime() - start) / 1e9);
    }

    @Test
    void aDeadAddressBeforeAGoodOneOnlyDelaysTheDirectPath() throws Exception {
        connect(true);
        InetSocketAddress closed = closedPort();
        alice.rewriteDirectOffers(endpoints -> {
            List<InetSocketAddress> list = new ArrayList<>();
            list.add(closed);
            list.addAll(endpoints);
            return list;
        });
        TransferStatus[] done = send("second-try.bin", 16 * MIB, 24);
        assertEquals(TransferStatus.PATH_DIRECT, done[1].path());
    }

    @Test
    void aConnectionWithoutTheSecretIsRefusedAndTheTransferGoesOn() throws Exception {
        connect(true);
        Path file = Files.createDirectories(temp.resolve("outbox")).resolve("guarded.bin");
        String sha = FilePeers.randomFile(file, 160 * MIB, 25);
        String id = peers.offerToBob(file);
        // Strangers try the listener the moment it opens, on Alice's engine thread before she offers it
        // to Bob: the transfer cannot end and close it meanwhile, however fast the machine.
        CompletableFuture<List<InetSocketAddress>> probed = new CompletableFuture<>();
        alice.rewriteDirectOffers(endpoints -> {
            if (!probed.isDone()) {
                try {
                    strangersAreRefused(endpoints);
                    assertEquals(endpoints, alice.directEndpoints(id), "the listener still listens");
                    probed.complete(endpoints);
                } catch (Throwable e) {
                    probed.completeExceptionally(e);
                }
            }
            return endpoints;
        });
        bob.accept(id, temp.resolve("inbox"));
        List<InetSocketAddress> endpoints;
        try {
            endpoints = probed.get(FilePeers.TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AssertionError a) {
                throw a;
            }
            throw e;
        }
        for (InetSocketAddress e : endpoints) {
            assertFalse(e.getAddress().isLoopbackAddress() || e.getAddress().isAnyLocalAddress(), e.toString());
        }

        TransferStatus[] done = finish(id, "guarded.bin", sha);
        assertEquals(TransferStatus.PATH_DIRECT, done[0].path());
        assertEquals(TransferStatus.PATH_DIRECT, done[1].path());
        assertEquals(List.of(), alice.directEndpoints(id), "the listener closes with the transfer");
    }

    /**
     * Someone on the network who learnt the port is refused by the listener itself: it hangs up on
     * a wrong proof. A timeout or a refused TCP connection would prove nothing, so the time limits
     * are generous and the reason is checked.
     */
    private static void strangersAreRefused(List<InetSocketAddress> endpoints) throws IOException {
        // With a secret of his own: the listener closes before it proves anything.
        IOException refused = assertThrows(IOException.class,
                () -> DirectLink.connect(endpoints.subList(0, 1), DirectLink.newSecret(), 30_000, 30_000));
        System.out.println("wrong secret: " + refused.getMessage());
        assertTrue(refused.getMessage().endsWith(": closed during the handshake"), refused.getMessage());
        // One who sends a wrong proof by hand is cut off at once, without a word about the secret.
        try (Socket s = new Socket()) {
            s.connect(endpoints.get(0), 30_000);
            s.setSoTimeout(30_000);
            s.getOutputStream().write(new byte[16 + 32]);
            InputStream in = s.getInputStream();
            byte[] nonce = in.readNBytes(16);
            assertEquals(16, nonce.length, "the listener's nonce");
            assertEquals(-1, in.read(), "closed after the wrong proof, nothing more sent");
        }
    }

    /** A port on the namespace's first address where nothing listens any more. */
    private static InetSocketAddress closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(NetworkIsolation.TEST_ADDRESS))) {
            return new InetSocketAddress(s.getInetAddress(), s.getLocalPort());
        }
    }
}
