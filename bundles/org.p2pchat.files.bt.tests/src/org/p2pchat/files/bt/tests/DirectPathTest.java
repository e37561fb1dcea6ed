package org.p2pchat.files.bt.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
        bob.accept(id, temp.resolve("inbox"));
        List<InetSocketAddress> endpoints = awaitDirectEndpoints(id);
        for (InetSocketAddress e : endpoints) {
            assertFalse(e.getAddress().isLoopbackAddress() || e.getAddress().isAnyLocalAddress(), e.toString());
        }

        // Someone on the network who learnt the port, with a secret of his own: refused.
        IOException refused = assertThrows(IOException.class,
                () -> DirectLink.connect(endpoints, DirectLink.newSecret(), 1000, 2000));
        System.out.println("wrong secret: " + refused.getMessage());
        // And one who sends a wrong proof by hand is cut off at once, without a word about the secret.
        try (Socket s = new Socket()) {
            s.connect(endpoints.get(0), 1000);
            s.setSoTimeout(5000);
            s.getOutputStream().write(new byte[16 + 32]);
            InputStream in = s.getInputStream();
            byte[] nonce = in.readNBytes(16);
            assertEquals(16, nonce.length, "the listener's nonce");
            assertEquals(-1, in.read(), "closed after the wrong proof, nothing more sent");
        }
        assertEquals(endpoints, alice.directEndpoints(id), "the listener still listens");

        TransferStatus[] done = finish(id, "guarded.bin", sha);
        assertEquals(TransferStatus.PATH_DIRECT, done[0].path());
        assertEquals(TransferStatus.PATH_DIRECT, done[1].path());
        assertEquals(List.of(), alice.directEndpoints(id), "the listener closes with the transfer");
    }

    private List<InetSocketAddress> awaitDirectEndpoints(String id) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            List<InetSocketAddress> endpoints = alice.directEndpoints(id);
            if (!endpoints.isEmpty()) {
                return endpoints;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("Alice never listened for a direct connection");
    }

    /** A port on the namespace's first address where nothing listens any more. */
    private static InetSocketAddress closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(NetworkIsolation.TEST_ADDRESS))) {
            return new InetSocketAddress(s.getInetAddress(), s.getLocalPort());
        }
    }
}
