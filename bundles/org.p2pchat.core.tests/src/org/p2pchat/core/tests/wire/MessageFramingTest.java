package org.p2pchat.core.tests.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.p2pchat.core.SessionConfig;
import org.p2pchat.core.wire.FrameAssembler;
import org.p2pchat.core.wire.FramingException;
import org.p2pchat.core.wire.MessageFraming;

/** {@link MessageFraming} and {@link FrameAssembler} together, as sender and receiver use them. */
class MessageFramingTest {

    private static final int MAX = MessageFraming.MAX_FRAME_BYTES;
    /** A first frame carries magic, flags and the 8-byte total length; later frames magic and flags. */
    private static final int FIRST_CHUNK = MAX - 10;
    private static final int NEXT_CHUNK = MAX - 2;

    private final FrameAssembler assembler = new FrameAssembler(SessionConfig.DEFAULT_MAX_MESSAGE_BYTES);

    @ParameterizedTest
    @ValueSource(ints = { 0, 1, FIRST_CHUNK - 1, FIRST_CHUNK, FIRST_CHUNK + 1, FIRST_CHUNK + NEXT_CHUNK - 1,
            FIRST_CHUNK + NEXT_CHUNK, FIRST_CHUNK + NEXT_CHUNK + 1, 1 << 20, 10 << 20 })
    void reassemblesByteExact(int size) throws FramingException {
        byte[] payload = randomBytes(size, size);
        List<byte[]> frames = frames(payload, MessageFraming.FLAG_JSON);

        int expectedFrames = size <= FIRST_CHUNK ? 1 : 1 + (size - FIRST_CHUNK + NEXT_CHUNK - 1) / NEXT_CHUNK;
        assertEquals(expectedFrames, frames.size());
        for (byte[] frame : frames) {
            assertTrue(frame.length <= MAX, "frame of " + frame.length + " bytes");
            assertTrue(MessageFraming.isFrame(frame));
        }
        FrameAssembler.Assembled message = deliver(frames);
        assertArrayEquals(payload, message.payload());
        assertTrue(message.isJson());
        assertFalse(assembler.inProgress());
    }

    @Test
    void kindFlagsArriveAsSent() throws FramingException {
        FrameAssembler.Assembled message = deliver(frames(new byte[] { 1, 2, 3 }, 0));

        assertFalse(message.isJson());
        assertEquals(0, message.kindFlags());
    }

    @Test
    void smallestFrameSizeWorksAndSmallerIsRefused() throws FramingException {
        byte[] payload = randomBytes(100, 7);
        List<byte[]> frames = new ArrayList<>();
        MessageFraming.frames(payload, 0, 11).forEachRemaining(frames::add);

        assertEquals(1 + 11, frames.size());
        assertArrayEquals(payload, deliver(frames).payload());
        assertThrows(IllegalArgumentException.class, () -> MessageFraming.frames(payload, 0, 10));
    }

    @Test
    void messagesFollowEachOther() throws FramingException {
        for (int size : new int[] { 5, 3 * MAX, 0, MAX }) {
            byte[] payload = randomBytes(size, size);
            assertArrayEquals(payload, deliver(frames(payload, 0)).payload());
        }
    }

    @Test
    void overCapTotalIsRefusedFromTheFirstFrame() {
        FrameAssembler small = new FrameAssembler(1 << 20);
        byte[] announced = firstFrameAnnouncing((1 << 20) + 1);

        FramingException e = assertThrows(FramingException.class, () -> small.accept(announced));
        assertEquals("message of 1048577 bytes is over the limit of 1048576 bytes", e.getMessage());
        assertFalse(small.inProgress());
    }

    @Test
    void totalsNoArrayCanHoldAreRefusedWhateverTheCap() {
        // Allocating any of these would throw OutOfMemoryError or overflow int: refusal must come first.
        FrameAssembler unlimited = new FrameAssembler(Long.MAX_VALUE);
        for (long total : new long[] { 1L << 40, Long.MAX_VALUE, Integer.MAX_VALUE }) {
            FramingException e = assertThrows(FramingException.class, () -> unlimited.accept(firstFrameAnnouncing(total)));
            assertTrue(e.getMessage().contains(total + " bytes is over the limit"), e.getMessage());
        }
        FramingException negative = assertThrows(FramingException.class, () -> unlimited.accept(firstFrameAnnouncing(-1)));
        assertTrue(negative.getMessage().contains("negative length"), negative.getMessage());
    }

    @Test
    void truncatedMessageIsRefused() throws FramingException {
        List<byte[]> frames = frames(randomBytes(2 * MAX, 1), 0);
        byte[] last = frames.remove(frames.size() - 1);
        frames.add(Arrays.copyOf(last, last.length - 5));

        assertRefusedOnLastFrame(frames, "message ended after " + (2 * MAX - 5) + " of the announced " + 2 * MAX + " bytes");
        assertRecovers();
    }

    @Test
    void continuationWithoutFirstIsRefused() throws FramingException {
        byte[] second = frames(randomBytes(2 * MAX, 2), 0).get(1);

        FramingException e = assertThrows(FramingException.class, () -> assembler.accept(second));
        assertEquals("continuation frame without a first frame (" + second.length + " bytes)", e.getMessage());
        assertRecovers();
    }

    @Test
    void firstFrameWhileAMessageIsInProgressIsRefused() throws FramingException {
        assertNull(assembler.accept(frames(randomBytes(2 * MAX, 3), 0).get(0)));
        byte[] interrupting = frames(new byte[] { 9 }, 0).get(0);

        FramingException e = assertThrows(FramingException.class, () -> assembler.accept(interrupting));
        assertEquals("a new message started before the previous one ended; the previous one is dropped", e.getMessage());
        assertRecovers();
    }

    @Test
    void bytesPastTheAnnouncedLengthAreRefused() throws FramingException {
        List<byte[]> frames = frames(randomBytes(MAX, 4), 0);
        byte[] last = frames.remove(frames.size() - 1);
        frames.add(Arrays.copyOf(last, last.length + 3));

        assertRefusedOnLastFrame(frames, "frames carry more than the announced " + MAX + " bytes");
        assertRecovers();
    }

    @Test
    void binaryThatIsNotAFrameIsRefused() throws FramingException {
        assertNull(assembler.accept(frames(randomBytes(2 * MAX, 5), 0).get(0)));
        for (byte[] data : new byte[][] { "{\"content\":\"hi\"}".getBytes(), {}, { MessageFraming.MAGIC } }) {
            FramingException e = assertThrows(FramingException.class, () -> assembler.accept(data));
            assertEquals("binary data that is not a chat frame (" + data.length + " bytes)", e.getMessage());
            assertFalse(assembler.inProgress(), "a non-frame drops the message in progress");
        }
        assertRecovers();
    }

    @Test
    void firstFrameWithoutItsLengthIsRefused() throws FramingException {
        byte[] stub = { MessageFraming.MAGIC, MessageFraming.FLAG_FIRST, 0, 0 };

        FramingException e = assertThrows(FramingException.class, () -> assembler.accept(stub));
        assertEquals("first frame too short for its length field (4 bytes)", e.getMessage());
        assertRecovers();
    }

    private void assertRefusedOnLastFrame(List<byte[]> frames, String message) throws FramingException {
        for (byte[] frame : frames.subList(0, frames.size() - 1)) {
            assertNull(assembler.accept(frame));
        }
        FramingException e = assertThrows(FramingException.class, () -> assembler.accept(frames.get(frames.size() - 1)));
        assertEquals(message, e.getMessage());
        assertFalse(assembler.inProgress());
    }

    /** The next valid message after an error goes through whole. */
    private void assertRecovers() throws FramingException {
        byte[] next = randomBytes(MAX + 100, 99);
        assertArrayEquals(next, deliver(frames(next, MessageFraming.FLAG_JSON)).payload());
    }

    private FrameAssembler.Assembled deliver(List<byte[]> frames) throws FramingException {
        for (byte[] frame : frames.subList(0, frames.size() - 1)) {
            assertNull(assembler.accept(frame));
            assertTrue(assembler.inProgress());
        }
        FrameAssembler.Assembled message = assembler.accept(frames.get(frames.size() - 1));
        assertNotNull(message);
        return message;
    }

    private static List<byte[]> frames(byte[] payload, int kindFlags) {
        List<byte[]> frames = new ArrayList<>();
        MessageFraming.frames(payload, kindFlags, MAX).forEachRemaining(frames::add);
        return frames;
    }

    private static byte[] firstFrameAnnouncing(long total) {
        return ByteBuffer.allocate(10).put(MessageFraming.MAGIC).put((byte) MessageFraming.FLAG_FIRST).putLong(total)
                .array();
    }

    private static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
