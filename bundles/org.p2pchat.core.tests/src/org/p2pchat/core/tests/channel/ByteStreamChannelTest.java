package org.p2pchat.core.tests.channel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.core.PeerDataChannel;
import org.p2pchat.core.channel.ByteStreamChannel;

/** A byte stream over an in-memory channel pair: any length goes, in pieces the channel takes. */
class ByteStreamChannelTest {

    private static final long T = RawPeer.WAIT_SECONDS;

    private final InMemoryChannelPair pair = new InMemoryChannelPair("bulk");

    @AfterEach
    void closeAll() {
        pair.close();
    }

    @Test
    void aLongWriteArrivesIntactInPiecesTheChannelTakes() throws Exception {
        CompletableFuture<PeerDataChannel> outOpen = new CompletableFuture<>();
        CompletableFuture<PeerDataChannel> inOpen = new CompletableFuture<>();
        ByteStreamChannel out = new ByteStreamChannel(pair.a, outOpen::complete);
        ByteStreamChannel in = new ByteStreamChannel(pair.b, inOpen::complete);
        assertFalse(out.isOpen());
        pair.open();
        assertEquals(out, outOpen.get(T, TimeUnit.SECONDS));
        assertEquals(in, inOpen.get(T, TimeUnit.SECONDS));
        assertEquals("bulk", in.label());

        byte[] data = new byte[3 * InMemoryChannelPair.MAX_MESSAGE_BYTES + 12_345];
        new Random(3).nextBytes(data);
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        List<Integer> pieces = new CopyOnWriteArrayList<>();
        CountDownLatch all = new CountDownLatch(1);
        in.onReceive(bytes -> {
            pieces.add(bytes.length);
            received.write(bytes, 0, bytes.length);
            if (received.size() == data.length - 10) {
                all.countDown();
            }
        });
        out.write(data, 10, data.length - 10);
        assertTrue(all.await(T, TimeUnit.SECONDS), "received " + received.size());
        assertArrayEquals(java.util.Arrays.copyOfRange(data, 10, data.length), received.toByteArray());
        assertEquals(4, pieces.size(), pieces.toString());
        assertTrue(pieces.stream().allMatch(n -> n <= InMemoryChannelPair.MAX_MESSAGE_BYTES), pieces.toString());
    }

    @Test
    void whatArrivesBeforeAReceiverIsSetIsHandedToItFirstInOrder() throws Exception {
        ByteStreamChannel out = new ByteStreamChannel(pair.a, c -> {
        });
        ByteStreamChannel in = new ByteStreamChannel(pair.b, c -> {
        });
        pair.open();
        out.write(new byte[] {1, 2, 3}, 0, 3);
        out.write(new byte[] {4, 5}, 0, 2);
        pair.b.drain(); // both arrived, nobody listening yet
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        CountDownLatch all = new CountDownLatch(1);
        in.onReceive(bytes -> {
            received.write(bytes, 0, bytes.length);
            if (received.size() == 7) {
                all.countDown();
            }
        });
        out.write(new byte[] {6, 7}, 0, 2);
        assertTrue(all.await(T, TimeUnit.SECONDS), "received " + received.size());
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6, 7}, received.toByteArray());
    }

    @Test
    void aPeerFloodingAChannelNobodyReadsYetIsCutOff() throws Exception {
        ByteStreamChannel out = new ByteStreamChannel(pair.a, c -> {
        });
        ByteStreamChannel in = new ByteStreamChannel(pair.b, c -> {
        });
        pair.open();
        CountDownLatch inClosed = new CountDownLatch(1);
        in.onClose(inClosed::countDown);
        byte[] chunk = new byte[InMemoryChannelPair.MAX_MESSAGE_BYTES];
        assertThrows(IOException.class, () -> {
            for (int i = 0; i < 1000; i++) { // 4 MiB is the most kept; the channel closes before 1000 chunks
                out.write(chunk, 0, chunk.length);
                pair.b.drain();
            }
        });
        assertTrue(inClosed.await(T, TimeUnit.SECONDS), "the receiving side closed the channel");
        assertFalse(in.isOpen());
    }

    @Test
    void closingOneSideClosesTheOtherAndWritesFail() throws Exception {
        ByteStreamChannel out = new ByteStreamChannel(pair.a, c -> {
        });
        ByteStreamChannel in = new ByteStreamChannel(pair.b, c -> {
        });
        pair.open();
        pair.b.drain();
        CountDownLatch outClosed = new CountDownLatch(1);
        CountDownLatch inClosed = new CountDownLatch(1);
        out.onClose(outClosed::countDown);
        in.onClose(inClosed::countDown);
        in.close();
        assertTrue(inClosed.await(T, TimeUnit.SECONDS), "the closing side's listener ran");
        assertTrue(outClosed.await(T, TimeUnit.SECONDS), "the other side heard");
        assertFalse(out.isOpen());
        assertThrows(IOException.class, () -> out.write(new byte[10], 0, 10));
    }
}
