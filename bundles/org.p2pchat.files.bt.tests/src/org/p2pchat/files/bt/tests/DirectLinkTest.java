package org.p2pchat.files.bt.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.files.bt.internal.DirectLink;

/**
 * The encrypted direct link on its own, on loopback: what goes in comes out, a wrong secret
 * fails both ends, and a frame changed, repeated or cut on the way ends the link. A small proxy
 * between the two ends plays the attacker on the network.
 */
class DirectLinkTest {

    /** Bytes the connecting side sends in the handshake: its nonce and its proof. */
    private static final int HANDSHAKE_BYTES = 16 + 32;
    /** A frame of a 3-byte message: length, ciphertext, tag. */
    private static final int SMALL_FRAME = 4 + 3 + 16;
    /** Time limits that only matter when something is broken: generous for a busy machine. */
    private static final int LIMIT_MS = 30_000;

    private ServerSocket listener;
    private Proxy proxy;

    @BeforeEach
    void listen() throws IOException {
        listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    }

    @AfterEach
    void close() throws IOException {
        listener.close();
        if (proxy != null) {
            proxy.close();
        }
    }

    private CompletableFuture<DirectLink> acceptOne(byte[] secret) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return DirectLink.accept(listener.accept(), secret);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    private InetSocketAddress listenerAddress() {
        return new InetSocketAddress(listener.getInetAddress(), listener.getLocalPort());
    }

    @Test
    void bytesArriveIntactBothWays() throws Exception {
        byte[] secret = DirectLink.newSecret();
        CompletableFuture<DirectLink> accepted = acceptOne(secret);
        try (DirectLink connector = DirectLink.connect(List.of(listenerAddress()), secret, LIMIT_MS, LIMIT_MS);
                DirectLink listening = accepted.get(LIMIT_MS, TimeUnit.MILLISECONDS)) {
            byte[] data = new byte[3 * DirectLink.MAX_PLAINTEXT + 12345];
            new Random(7).nextBytes(data);
            CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
                try {
                    connector.write(data, 0, data.length);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            assertArrayEquals(data, readExactly(listening, data.length));
            sent.get(LIMIT_MS, TimeUnit.MILLISECONDS);
            byte[] back = "and back".getBytes(StandardCharsets.UTF_8);
            listening.write(back, 0, back.length);
            assertArrayEquals(back, readExactly(connector, back.length));
            listening.close();
            assertEquals(-1, connector.read(new byte[DirectLink.MAX_PLAINTEXT]), "end of stream between frames");
        }
    }

    @Test
    void aWrongSecretFailsBothEnds() throws Exception {
        CompletableFuture<DirectLink> accepted = acceptOne(DirectLink.newSecret());
        // Refused by the listener, not timed out: it hangs up on the wrong proof, and says why on its side.
        IOException connecting = assertThrows(IOException.class,
                () -> DirectLink.connect(List.of(listenerAddress()), DirectLink.newSecret(), LIMIT_MS, LIMIT_MS));
        assertTrue(connecting.getMessage().endsWith(": closed during the handshake"), connecting.getMessage());
        ExecutionException e = assertThrows(ExecutionException.class, () -> accepted.get(LIMIT_MS, TimeUnit.MILLISECONDS));
        assertTrue(e.getCause() instanceof java.io.UncheckedIOException u
                && u.getCause().getMessage().equals("the connecting side does not know the secret"), e.toString());
    }

    @Test
    void aChangedFrameEndsTheLink() throws Exception {
        // One bit flipped in the second frame's ciphertext.
        long flipAt = HANDSHAKE_BYTES + SMALL_FRAME + 4 + 1;
        proxy = new Proxy(listenerAddress(), (offset, b, out) -> out.write(offset == flipAt ? b ^ 0x01 : b));
        assertSecondFrameFails();
    }

    @Test
    void aRepeatedFrameEndsTheLink() throws Exception {
        // The first frame sent twice: the receiver expects the next counter.
        ByteArrayOutputStream first = new ByteArrayOutputStream();
        proxy = new Proxy(listenerAddress(), (offset, b, out) -> {
            out.write(b);
            if (offset >= HANDSHAKE_BYTES && offset < HANDSHAKE_BYTES + SMALL_FRAME) {
                first.write(b);
                if (offset == HANDSHAKE_BYTES + SMALL_FRAME - 1) {
                    out.write(first.toByteArray());
                }
            }
        });
        assertSecondFrameFails();
    }

    @Test
    void aFrameLongerThanAllowedEndsTheLink() throws Exception {
        // The second frame's length says 16 MiB: refused before anything is read or allocated for it.
        proxy = new Proxy(listenerAddress(),
                (offset, b, out) -> out.write(offset == HANDSHAKE_BYTES + SMALL_FRAME ? 0x01 : b));
        assertSecondFrameFails();
    }

    /** Sends two 3-byte frames through the proxy: the first arrives, the second fails and closes the link. */
    private void assertSecondFrameFails() throws Exception {
        byte[] secret = DirectLink.newSecret();
        CompletableFuture<DirectLink> accepted = acceptOne(secret);
        try (DirectLink connector = DirectLink.connect(List.of(proxy.address()), secret, LIMIT_MS, LIMIT_MS);
                DirectLink listening = accepted.get(LIMIT_MS, TimeUnit.MILLISECONDS)) {
            connector.write("one".getBytes(StandardCharsets.US_ASCII), 0, 3);
            connector.write("two".getBytes(StandardCharsets.US_ASCII), 0, 3);
            assertArrayEquals("one".getBytes(StandardCharsets.US_ASCII), readExactly(listening, 3));
            assertThrows(IOException.class, () -> listening.read(new byte[DirectLink.MAX_PLAINTEXT]));
            assertTrue(listening.isClosed(), "the link closes");
        }
    }

    private static byte[] readExactly(DirectLink link, int length) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] frame = new byte[DirectLink.MAX_PLAINTEXT];
        while (got.size() < length) {
            int n = link.read(frame);
            if (n < 0) {
                throw new IOException("ended after " + got.size() + " bytes");
            }
            got.write(frame, 0, n);
        }
        return got.toByteArray();
    }

    /** What the proxy does with each byte from the connecting side: write it, changed or not, or more. */
    interface Tamper {
        void pass(long offset, int b, OutputStream out) throws IOException;
    }

    /** One connection through loopback, the connecting side's bytes passed through a {@link Tamper}. */
    private static final class Proxy implements AutoCloseable {
        private final ServerSocket server;

        Proxy(InetSocketAddress target, Tamper tamper) throws IOException {
            server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
            Thread t = new Thread(() -> {
                try (Socket in = server.accept(); Socket out = new Socket(target.getAddress(), target.getPort())) {
                    Thread back = new Thread(() -> copy(out, in));
                    back.setDaemon(true);
                    back.start();
                    InputStream from = in.getInputStream();
                    OutputStream to = out.getOutputStream();
                    long offset = 0;
                    int b;
                    while ((b = from.read()) >= 0) {
                        tamper.pass(offset++, b, to);
                    }
                } catch (IOException e) {
                    // test over
                }
            }, "tamper-proxy");
            t.setDaemon(true);
            t.start();
        }

        private static void copy(Socket from, Socket to) {
            try {
                from.getInputStream().transferTo(to.getOutputStream());
            } catch (IOException e) {
                // test over
            }
        }

        InetSocketAddress address() {
            return new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
