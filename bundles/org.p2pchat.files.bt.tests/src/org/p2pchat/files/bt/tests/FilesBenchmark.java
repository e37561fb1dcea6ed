package org.p2pchat.files.bt.tests;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.p2pchat.core.PeerDataChannel;
import org.p2pchat.core.PeerSession;
import org.p2pchat.core.PeerSessionListener;
import org.p2pchat.core.PeerTransport;
import org.p2pchat.core.SessionConfig;
import org.p2pchat.core.files.TransferStatus;
import org.p2pchat.core.files.TransferStatus.State;
import org.p2pchat.core.identity.IdentityService;
import org.p2pchat.files.bt.internal.BtFileTransferService;
import org.p2pchat.files.bt.internal.DirectPathBenchmark;
import org.p2pchat.testing.NetworkIsolation;

/**
 * File-transfer figures, each next to its baseline from the same run: a file through the
 * data-channel bridge (two file services, one WebRTC connection, direct path off) against raw
 * data-channel throughput on the same kind of connection; the same through the product's
 * encrypted direct path, and Bt over a plain direct TCP path, against a plain TCP copy between
 * the namespace's two addresses. CPU is this process's (both ends), from /proc/self/stat. Not a
 * test (the name matches no test pattern): releng/benchmarks/files.sh runs it.
 */
public class FilesBenchmark {

    private static final long MIB = 1 << 20;

    @Test
    void measure() throws Exception {
        NetworkIsolation.requireIsolatedNetwork();
        long mib = Long.getLong("p2pchat.benchmark.mib", 1024);
        long size = mib * MIB;
        Path work = Files.createTempDirectory("p2pchat-files-bench");
        try {
            Path file = work.resolve("payload.bin");
            FilePeers.randomFile(file, size, 42);
            FilePeers.sha256(file); // into the page cache, like a file the user just picked
            report("machine: " + Runtime.getRuntime().availableProcessors() + " cores, load average "
                    + Files.readString(Path.of("/proc/loadavg")).trim() + ", " + mib + " MiB");

            Figure raw = rawDataChannel(size);
            report("raw data channel       " + raw);
            Figure bridge = throughService(file, work.resolve("bridged"), size, false);
            report("Bt via data channel    " + bridge + "  = " + percent(bridge, raw) + " of raw");
            Figure tcp = plainTcp(file, work.resolve("tcp.bin"), size);
            report("plain TCP copy         " + tcp);
            Figure encrypted = throughService(file, work.resolve("direct"), size, true);
            report("Bt via encrypted direct" + encrypted + "  = " + percent(encrypted, tcp) + " of plain TCP, "
                    + String.format("%.1fx", encrypted.mbPerSecond() / bridge.mbPerSecond()) + " the data channel");
            Figure direct = directBt(file, work.resolve("direct.bin"), size);
            report("Bt via plain direct TCP" + direct + "  = " + percent(direct, tcp) + " of plain TCP");
            report("load average after: " + Files.readString(Path.of("/proc/loadavg")).trim());
        } finally {
            try (var files = Files.walk(work)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    record Figure(long bytes, long nanos, double cpuSeconds, String note) {
        double mbPerSecond() {
            return bytes / (nanos / 1e9) / 1e6;
        }

        @Override
        public String toString() {
            double seconds = nanos / 1e9;
            return String.format("%7.1f MB/s  %6.2f s  CPU %6.2f s (%3.0f%% of one core)%s", mbPerSecond(), seconds,
                    cpuSeconds, 100 * cpuSeconds / seconds, note.isEmpty() ? "" : "  " + note);
        }
    }

    private static String percent(Figure a, Figure b) {
        return String.format("%.0f%%", 100 * a.mbPerSecond() / b.mbPerSecond());
    }

    private static void report(String line) {
        System.out.println("files-bench: " + line);
    }

    /** utime + stime of this process, seconds (clock ticks of 1/100 s). */
    static double cpuSeconds() throws IOException {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
    }

    /** Bytes written to one data channel as fast as it takes them, counted at the other end. */
    private static Figure rawDataChannel(long size) throws Exception {
        PeerTransport transport = FilePeers.service(PeerTransport.class);
        PeerSession a = transport.createSession(SessionConfig.of(List.of(), "a"));
        PeerSession b = transport.createSession(SessionConfig.of(List.of(), "b"));
        AtomicLong received = new AtomicLong();
        CountDownLatch all = new CountDownLatch(1);
        long[] lastByte = new long[1];
        b.addListener(new PeerSessionListener() {
            @Override
            public void dataChannelOpened(PeerSession s, PeerDataChannel channel) {
                channel.onReceive(bytes -> {
                    if (received.addAndGet(bytes.length) >= size) {
                        lastByte[0] = System.nanoTime();
                        all.countDown();
                    }
                });
            }
        });
        try {
            FilePeers.connect(a, b);
            PeerDataChannel channel = a.openDataChannel("bench").get(30, TimeUnit.SECONDS);
            byte[] block = new byte[256 * 1024];
            new java.util.Random(1).nextBytes(block);
            double cpu0 = cpuSeconds();
            long start = System.nanoTime();
            for (long sent = 0; sent < size; sent += block.length) {
                channel.write(block, 0, (int) Math.min(block.length, size - sent));
            }
            if (!all.await(10, TimeUnit.MINUTES)) {
                throw new AssertionError("only " + received.get() + " bytes arrived");
            }
            return new Figure(size, lastByte[0] - start, cpuSeconds() - cpu0, "");
        } finally {
            a.close();
            b.close();
        }
    }

    /**
     * A file offered and accepted between two file services, over the direct path or the data
     * channel; timed from its first bridged byte to Bt's last piece.
     */
    private static Figure throughService(Path file, Path work, long size, boolean directPath) throws Exception {
        IdentityService senderIdentity = FilePeers.identity(work.resolve("sender"));
        IdentityService receiverIdentity = FilePeers.identity(work.resolve("receiver"));
        BtFileTransferService sender = new BtFileTransferService(work.resolve("sender"), "sender", senderIdentity,
                directPath);
        BtFileTransferService receiver = new BtFileTransferService(work.resolve("receiver"), "receiver",
                receiverIdentity, directPath);
        FilePeers peers = new FilePeers(sender, senderIdentity.self(), receiver, receiverIdentity.self());
        try {
            String id = peers.offerToBob(file);
            CompletableFuture<Long> firstByte = new CompletableFuture<>();
            Thread watch = new Thread(() -> {
                while (!firstByte.isDone()) {
                    if (receiver.bridgedBytes(id) > 0) {
                        firstByte.complete(System.nanoTime());
                    }
                    java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
                }
            });
            watch.setDaemon(true);
            watch.start();
            double cpu0 = cpuSeconds();
            long accepted = System.nanoTime();
            receiver.accept(id, work.resolve("received"));
            long first = firstByte.get(5, TimeUnit.MINUTES);
            double cpuFirst = cpuSeconds();
            peers.bobSaw.await(id, s -> s.state() == State.VERIFYING || s.state() == State.DONE, "all pieces");
            long allPieces = System.nanoTime();
            double cpuAll = cpuSeconds();
            String path = peers.bobSaw.awaitState(id, State.DONE).path();
            long done = System.nanoTime();
            String wanted = directPath ? TransferStatus.PATH_DIRECT : TransferStatus.PATH_DATA_CHANNEL;
            if (!path.equals(wanted)) {
                throw new AssertionError("went by " + path + ", not " + wanted);
            }
            double cpuDone = cpuSeconds();
            Path received = receiver.receivedFiles(id).get(0);
            String sha = FilePeers.sha256(received);
            if (!sha.equals(FilePeers.sha256(file))) {
                throw new AssertionError("damaged");
            }
            Files.delete(received);
            long bridged = receiver.bridgedBytes(id);
            return new Figure(size, allPieces - first, cpuAll - cpuFirst, String.format(
                    "[accept->first byte %.2f s, CPU %.2f s; final check %.2f s; accept->done %.2f s, CPU %.2f s;"
                            + " %.2f%% protocol overhead]",
                    (first - accepted) / 1e9, cpuFirst - cpu0, (done - allPieces) / 1e9, (done - accepted) / 1e9,
                    cpuDone - cpu0, 100.0 * (bridged - size) / size));
        } finally {
            peers.close();
            sender.close();
            receiver.close();
        }
    }

    /** The file sent over one TCP connection between the namespace's two addresses, written to disk at the other end. */
    private static Figure plainTcp(Path file, Path into, long size) throws Exception {
        InetAddress server = InetAddress.getByName(NetworkIsolation.TEST_ADDRESS);
        InetAddress client = InetAddress.getByName(NetworkIsolation.TEST_PEER_ADDRESS);
        try (ServerSocketChannel listener = ServerSocketChannel.open().bind(new InetSocketAddress(server, 0))) {
            CompletableFuture<Long> done = new CompletableFuture<>();
            Thread receiver = new Thread(() -> {
                try (SocketChannel s = listener.accept();
                        FileChannel out = FileChannel.open(into, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    long n = 0;
                    while (n < size) {
                        long got = out.transferFrom(s, n, size - n);
                        if (got <= 0) {
                            break;
                        }
                        n += got;
                    }
                    done.complete(System.nanoTime());
                } catch (IOException e) {
                    done.completeExceptionally(e);
                }
            });
            receiver.start();
            double cpu0 = cpuSeconds();
            long start = System.nanoTime();
            try (SocketChannel s = SocketChannel.open()) {
                s.bind(new InetSocketAddress(client, 0));
                s.connect(listener.getLocalAddress());
                try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
                    long n = 0;
                    while (n < size) {
                        n += in.transferTo(n, size - n, s);
                    }
                }
            }
            long end = done.get(10, TimeUnit.MINUTES);
            Figure f = new Figure(size, end - start, cpuSeconds() - cpu0, "");
            Files.delete(into);
            return f;
        }
    }

    private static Figure directBt(Path file, Path into, long size) throws Exception {
        double cpu0 = cpuSeconds();
        long nanos = DirectPathBenchmark.transfer(file, into, InetAddress.getByName(NetworkIsolation.TEST_ADDRESS),
                InetAddress.getByName(NetworkIsolation.TEST_PEER_ADDRESS));
        double cpu = cpuSeconds() - cpu0; // includes the seeder's check of its file and the final check
        Files.delete(into);
        return new Figure(size, nanos, cpu, "[CPU includes both ends' piece checks]");
    }
}
