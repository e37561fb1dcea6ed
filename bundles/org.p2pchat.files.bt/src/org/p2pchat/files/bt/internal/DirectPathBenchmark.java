package org.p2pchat.files.bt.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import bt.metainfo.Torrent;
import bt.runtime.BtClient;

/**
 * Measures Bt over a direct TCP path (no data channel): a seeding runtime listening on one address,
 * a downloading one on another, as two clients on one network would be. Not used by the service:
 * the benchmark (releng/benchmarks/files.sh) compares it with a plain TCP copy.
 */
public final class DirectPathBenchmark {

    private DirectPathBenchmark() {
    }

    /**
     * Sends {@code file} to {@code into} (a new file) and returns the nanoseconds from the start of
     * the download to the last piece verified; the seeder has checked its file before.
     */
    public static long transfer(Path file, Path into, InetAddress seederAddress, InetAddress downloaderAddress)
            throws Exception {
        long size = Files.size(file);
        byte[] bytes = BtEngine.makeTorrent(file, size, List.of());
        Torrent torrent = BtEngine.parse(bytes);
        try (BtEngine seeder = new BtEngine(seederAddress, List.of());
                BtEngine downloader = new BtEngine(downloaderAddress, List.of())) {
            CompletableFuture<Void> ready = new CompletableFuture<>();
            FileStorage source = new FileStorage(file, size, false, DirectPathBenchmark::fail);
            BtClient seed = seeder.seed(torrent, source, s -> {
                if (s.getPiecesRemaining() == 0) {
                    ready.complete(null);
                }
            });
            ready.get(5, TimeUnit.MINUTES);
            FileStorage target = new FileStorage(into, size, true, DirectPathBenchmark::fail);
            CompletableFuture<Void> done = new CompletableFuture<>();
            long start = System.nanoTime();
            BtClient get = downloader.download(torrent, target, seeder.acceptorAddress(), s -> {
            }, done);
            done.get(30, TimeUnit.MINUTES);
            long elapsed = System.nanoTime() - start;
            get.stop();
            seed.stop();
            target.close();
            source.close();
            String problem = PieceCheck.verify(into, torrent);
            if (problem != null) {
                throw new IOException("direct transfer damaged: " + problem);
            }
            return elapsed;
        }
    }

    private static void fail(IOException e) {
        System.err.println("direct path: " + e);
    }
}
