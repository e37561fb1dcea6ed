package org.p2pchat.rendezvous.internal;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;

/**
 * Reads a request body as it arrives, without holding a thread while it waits, up to
 * {@code max} bytes; beyond that it stops reading and reports the body as too large.
 */
final class BodyReader implements Runnable {
    interface Done {
        void body(byte[] body, boolean tooLarge);
    }

    private final Request request;
    private final int max;
    private final Done done;
    private final Consumer<Throwable> failed;
    private final ByteArrayOutputStream body;

    BodyReader(Request request, int max, long length, Done done, Consumer<Throwable> failed) {
        this.request = request;
        this.max = max;
        this.done = done;
        this.failed = failed;
        this.body = new ByteArrayOutputStream(length >= 0 ? (int) length : Math.min(max, 4096));
    }

    @Override
    public void run() {
        while (true) {
            Content.Chunk chunk = request.read();
            if (chunk == null) {
                request.demand(this);
                return;
            }
            if (Content.Chunk.isFailure(chunk)) {
                failed.accept(chunk.getFailure());
                return;
            }
            ByteBuffer bytes = chunk.getByteBuffer();
            boolean tooLarge = body.size() + bytes.remaining() > max;
            if (!tooLarge) {
                byte[] copy = new byte[bytes.remaining()];
                bytes.get(copy);
                body.writeBytes(copy);
            }
            boolean last = chunk.isLast();
            chunk.release();
            if (tooLarge || last) {
                done.body(tooLarge ? new byte[0] : body.toByteArray(), tooLarge);
                return;
            }
        }
    }
}
