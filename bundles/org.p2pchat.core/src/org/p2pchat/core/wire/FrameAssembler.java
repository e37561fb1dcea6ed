package org.p2pchat.core.wire;

import java.nio.ByteBuffer;

/**
 * Puts frames from {@link MessageFraming} back together. Not thread-safe: one per channel, fed
 * from the channel's receive callback.
 * <p>
 * A frame that breaks the rules drops the message in progress and is reported; the next FIRST
 * frame starts afresh, so one bad message never wedges the channel.
 */
public final class FrameAssembler {

    /** A complete message and the kind flags its sender set. */
    public record Assembled(byte[] payload, int kindFlags) {
        public boolean isJson() {
            return (kindFlags & MessageFraming.FLAG_JSON) != 0;
        }
    }

    private final long maxMessageBytes;
    private byte[] buffer;
    private int filled;
    private int kindFlags;

    public FrameAssembler(long maxMessageBytes) {
        this.maxMessageBytes = maxMessageBytes;
    }

    /**
     * @return the whole message when {@code frame} completes one, otherwise {@code null}
     * @throws FramingException when the frame is not valid here; the partial message is dropped
     */
    public Assembled accept(byte[] frame) throws FramingException {
        if (!MessageFraming.isFrame(frame)) {
            reset();
            throw new FramingException("binary data that is not a chat frame (" + frame.length + " bytes)");
        }
        int flags = frame[1] & 0xFF;
        boolean first = (flags & MessageFraming.FLAG_FIRST) != 0;
        boolean last = (flags & MessageFraming.FLAG_LAST) != 0;
        int offset = MessageFraming.HEADER_BYTES;
        if (first) {
            if (buffer != null) {
                reset();
                throw new FramingException("a new message started before the previous one ended; the previous one is dropped");
            }
            if (frame.length < offset + MessageFraming.LENGTH_BYTES) {
                throw new FramingException("first frame too short for its length field (" + frame.length + " bytes)");
            }
            long total = ByteBuffer.wrap(frame, offset, MessageFraming.LENGTH_BYTES).getLong();
            offset += MessageFraming.LENGTH_BYTES;
            if (total < 0) {
                throw new FramingException("first frame announces a negative length (" + total + ")");
            }
            if (total > maxMessageBytes || total > Integer.MAX_VALUE - 16) {
                throw new FramingException("message of " + total + " bytes is over the limit of " + maxMessageBytes + " bytes");
            }
            buffer = new byte[(int) total];
            filled = 0;
            kindFlags = flags & ~(MessageFraming.FLAG_FIRST | MessageFraming.FLAG_LAST);
        } else if (buffer == null) {
            throw new FramingException("continuation frame without a first frame (" + frame.length + " bytes)");
        }
        int chunk = frame.length - offset;
        if (filled + chunk > buffer.length) {
            int expected = buffer.length;
            reset();
            throw new FramingException("frames carry more than the announced " + expected + " bytes");
        }
        System.arraycopy(frame, offset, buffer, filled, chunk);
        filled += chunk;
        if (!last) {
            return null;
        }
        if (filled != buffer.length) {
            int expected = buffer.length;
            int got = filled;
            reset();
            throw new FramingException("message ended after " + got + " of the announced " + expected + " bytes");
        }
        Assembled done = new Assembled(buffer, kindFlags);
        reset();
        return done;
    }

    /** Whether a message is partly received. */
    public boolean inProgress() {
        return buffer != null;
    }

    private void reset() {
        buffer = null;
        filled = 0;
        kindFlags = 0;
    }
}
