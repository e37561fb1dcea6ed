package org.p2pchat.core.wire;

import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Splits a message too large for one SCTP message into binary frames, and puts frames back
 * together.
 * <p>
 * libwebrtc silently closes a channel that is sent a message over its 256 KiB
 * {@code max-message-size}, so anything larger travels as frames of at most
 * {@link #MAX_FRAME_BYTES}. A frame is {@code MAGIC, flags, [8-byte total length if FIRST], payload}.
 * The channel is ordered and reliable, so frames of one message arrive together and in order.
 */
public final class MessageFraming {

    /** Well under the 256 KiB limit, and large enough that the per-message cost stays small. */
    public static final int MAX_FRAME_BYTES = 64 * 1024;

    /** First byte of every frame; no JSON text starts with it. */
    public static final byte MAGIC = (byte) 0xC7;

    public static final int FLAG_FIRST = 0x01;
    public static final int FLAG_LAST = 0x02;
    /** The reassembled payload is a UTF-8 JSON chat message. */
    public static final int FLAG_JSON = 0x10;

    static final int HEADER_BYTES = 2;
    static final int LENGTH_BYTES = 8;

    private MessageFraming() {
    }

    /** Whether a received binary message is one of our frames. */
    public static boolean isFrame(byte[] data) {
        return data.length >= HEADER_BYTES && data[0] == MAGIC;
    }

    /**
     * The frames for {@code payload}, each an exact-size array (webrtc-java sends a heap buffer's
     * whole backing array), produced one at a time so no second copy of a large message exists.
     */
    public static Iterator<byte[]> frames(byte[] payload, int kindFlags, int maxFrameBytes) {
        if (maxFrameBytes < HEADER_BYTES + LENGTH_BYTES + 1) {
            throw new IllegalArgumentException("frame size too small: " + maxFrameBytes);
        }
        return new Iterator<>() {
            private int offset;
            private boolean first = true;

            @Override
            public boolean hasNext() {
                return first || offset < payload.length;
            }

            @Override
            public byte[] next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                int header = HEADER_BYTES + (first ? LENGTH_BYTES : 0);
                int chunk = Math.min(maxFrameBytes - header, payload.length - offset);
                boolean last = offset + chunk == payload.length;
                int flags = kindFlags | (first ? FLAG_FIRST : 0) | (last ? FLAG_LAST : 0);
                ByteBuffer frame = ByteBuffer.allocate(header + chunk);
                frame.put(MAGIC).put((byte) flags);
                if (first) {
                    frame.putLong(payload.length);
                }
                frame.put(payload, offset, chunk);
                offset += chunk;
                first = false;
                return frame.array();
            }
        };
    }
}
