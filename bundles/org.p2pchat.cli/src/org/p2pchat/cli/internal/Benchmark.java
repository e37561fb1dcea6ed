package org.p2pchat.cli.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import org.p2pchat.client.core.Conversation;
import org.p2pchat.core.PeerDataChannel;

/** {@code /ping} and {@code /bench}: round trips to the peer's client, and a stream on a channel of its own. */
final class Benchmark {

    /** Label of the binary channel {@code /bench} sends on. */
    static final String CHANNEL = "bench";

    private Benchmark() {
    }

    /** {@code count} round trips, reported as percentiles. */
    static void ping(Conversation conversation, int count, EventPrinter print) {
        long[] micros = new long[count];
        for (int i = 0; i < count; i++) {
            Long nanos = Futures.await(conversation.ping(), "ping", print);
            if (nanos == null) {
                return;
            }
            micros[i] = nanos / 1000;
        }
        Arrays.sort(micros);
        long p50 = micros[(count - 1) / 2];
        long p99 = micros[(int) Math.ceil(count * 0.99) - 1];
        print.event("ping", String.format("* round trip over %d pings: p50 %.3f ms, p99 %.3f ms, max %.3f ms", count,
                p50 / 1000.0, p99 / 1000.0, micros[count - 1] / 1000.0),
                "count", count, "p50Micros", p50, "p99Micros", p99, "maxMicros", micros[count - 1]);
    }

    /** Sends {@code mib} MiB, announced by an 8-byte length, so the receiver can time it. */
    static void send(Conversation conversation, int mib, EventPrinter print) {
        PeerDataChannel channel = Futures.await(conversation.openDataChannel(CHANNEL), "open the benchmark channel", print);
        if (channel == null) {
            return;
        }
        long total = (long) mib << 20;
        byte[] chunk = new byte[256 * 1024];
        new Random(42).nextBytes(chunk);
        long start = System.nanoTime();
        try {
            channel.write(ByteBuffer.allocate(8).putLong(total).array(), 0, 8);
            for (long sent = 0; sent < total; sent += chunk.length) {
                channel.write(chunk, 0, (int) Math.min(chunk.length, total - sent));
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            print.event("bench-sent", String.format("* handed %d MiB to the channel in %.2f s", mib, seconds),
                    "bytes", total, "seconds", seconds);
        } catch (IOException e) {
            print.error("Benchmark stopped: " + e.getMessage());
        }
    }

    /** Counts a benchmark stream the peer sends and reports its speed. */
    static void receive(PeerDataChannel channel, EventPrinter print) {
        ByteBuffer header = ByteBuffer.allocate(8);
        AtomicLong expected = new AtomicLong(-1);
        AtomicLong received = new AtomicLong();
        long[] firstByte = {0};
        channel.onReceive(bytes -> {
            int offset = 0;
            if (expected.get() < 0) {
                firstByte[0] = System.nanoTime();
                while (header.hasRemaining() && offset < bytes.length) {
                    header.put(bytes[offset++]);
                }
                if (header.hasRemaining()) {
                    return;
                }
                expected.set(header.flip().getLong());
            }
            long now = received.addAndGet(bytes.length - offset);
            if (now >= expected.get()) {
                double seconds = (System.nanoTime() - firstByte[0]) / 1e9;
                double mbPerSec = now / 1e6 / seconds;
                print.event("bench-received", String.format("* received %d MiB in %.2f s: %.1f MB/s", now >> 20, seconds,
                        mbPerSec), "bytes", now, "seconds", seconds, "mbPerSec", mbPerSec);
                channel.close();
            }
        });
    }
}
