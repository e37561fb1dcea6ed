import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.google.gson.JsonObject;

import org.p2pchat.testing.CliProcess;
import org.p2pchat.testing.NetworkIsolation;

/**
 * Two command-line clients of the product, connected by manual exchange inside the test
 * namespace: set-up time, round trip and one-way throughput, with plain TCP between the same two
 * addresses as the baseline measured in the same run. Run through run.sh.
 */
public class ManualExchangeBenchmark {

    public static void main(String[] args) throws Exception {
        Path product = Path.of(args[0]);
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        int mib = args.length > 2 ? Integer.parseInt(args[2]) : 1024;
        int pings = 2000;
        NetworkIsolation.requireIsolatedNetwork();
        Path work = Files.createTempDirectory("p2pchat-bench");

        System.out.printf("P2P Chat benchmark: %d connections, %d pings, %d MiB, product %s%n", runs, pings, mib, product);
        System.out.printf("machine: %d cores, load average %s%n", Runtime.getRuntime().availableProcessors(),
                Files.readString(Path.of("/proc/loadavg")).trim());

        double[] tcp = tcpBaseline(mib, pings);

        List<Long> offerToOpen = new ArrayList<>();
        List<Long> answerToOpen = new ArrayList<>();
        List<Long> offerToAnswer = new ArrayList<>();
        long rttP50 = 0, rttP99 = 0, idleRssKib = 0;
        double mbPerSec = 0, seconds = 0;
        for (int run = 1; run <= runs; run++) {
            Path dir = work.resolve("run" + run);
            try (CliProcess alice = CliProcess.start("alice", product, dir.resolve("alice"), "--no-ice", "--name", "alice", "offer");
                    CliProcess bob = CliProcess.start("bob", product, dir.resolve("bob"), "--no-ice", "--name", "bob", "answer")) {
                JsonObject offer = alice.await("offer", 120);
                bob.send(offer.get("text").getAsString());
                String answer = bob.await("answer", 60).get("text").getAsString();
                alice.send(answer);
                JsonObject open = alice.awaitState("connected", 60);
                bob.awaitState("connected", 60);
                offerToOpen.add(open.get("sinceStartMs").getAsLong());
                answerToOpen.add(open.get("sinceRemoteMs").getAsLong());
                offerToAnswer.add(open.get("sinceStartMs").getAsLong() - open.get("sinceRemoteMs").getAsLong());
                if (run == runs) {
                    Thread.sleep(3000); // settled and idle, connected
                    idleRssKib = alice.residentKib();
                    alice.send("/ping " + pings);
                    JsonObject ping = alice.await("ping", 120);
                    rttP50 = ping.get("p50Micros").getAsLong();
                    rttP99 = ping.get("p99Micros").getAsLong();
                    alice.send("/bench " + mib);
                    JsonObject got = bob.await("bench-received", 600);
                    mbPerSec = got.get("mbPerSec").getAsDouble();
                    seconds = got.get("seconds").getAsDouble();
                }
                alice.send("/quit");
                alice.awaitExit(60);
                bob.awaitExit(60);
            }
            System.out.printf("  run %d: createOffer -> open %d ms (answer pasted -> open %d ms)%n", run,
                    offerToOpen.getLast(), answerToOpen.getLast());
        }

        System.out.println();
        System.out.println("| measurement | P2P Chat (2 processes, WebRTC) | plain TCP, same addresses, same run |");
        System.out.println("| --- | --- | --- |");
        System.out.printf("| createOffer -> chat open, median of %d | %d ms (min %d, max %d) | - |%n", runs,
                median(offerToOpen), min(offerToOpen), max(offerToOpen));
        System.out.printf("| of which createOffer -> answer pasted (our gathering, the peer's answer) | median %d ms | - |%n", median(offerToAnswer));
        System.out.printf("| answer pasted -> chat open, median | %d ms | - |%n", median(answerToOpen));
        System.out.printf("| round trip, %d pings, p50 / p99 | %.3f / %.3f ms | %.3f / %.3f ms |%n", pings,
                rttP50 / 1000.0, rttP99 / 1000.0, tcp[1] / 1000.0, tcp[2] / 1000.0);
        System.out.printf("| one-way %d MiB | %.1f MB/s (%.1f s) | %.1f MB/s |%n", mib, mbPerSec, seconds, tcp[0]);
        System.out.printf("| resident memory of an idle connected command-line client | %d MiB | - |%n", idleRssKib / 1024);
    }

    /** {MB/s, rtt p50 micros, rtt p99 micros} over TCP from 192.0.2.2 to 192.0.2.1. */
    static double[] tcpBaseline(int mib, int pings) throws Exception {
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(InetAddress.getByName(NetworkIsolation.TEST_ADDRESS), 0));
            Thread sink = new Thread(() -> {
                try (Socket s = server.accept(); InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                    for (int i = 0; i < pings; i++) {
                        out.write(in.read());
                        out.flush();
                    }
                    byte[] buf = new byte[1 << 16];
                    while (in.read(buf) >= 0) {
                        // Count nothing: the sender times until the receiver has closed.
                    }
                    out.write(1);
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            sink.start();
            try (Socket c = new Socket()) {
                c.bind(new InetSocketAddress(InetAddress.getByName(NetworkIsolation.TEST_PEER_ADDRESS), 0));
                c.connect(server.getLocalSocketAddress());
                c.setTcpNoDelay(true);
                DataOutputStream out = new DataOutputStream(c.getOutputStream());
                DataInputStream in = new DataInputStream(c.getInputStream());
                long[] rtt = new long[pings];
                for (int i = 0; i < pings; i++) {
                    long t = System.nanoTime();
                    out.write(7);
                    out.flush();
                    in.read();
                    rtt[i] = (System.nanoTime() - t) / 1000;
                }
                Arrays.sort(rtt);
                byte[] chunk = new byte[256 * 1024];
                long total = (long) mib << 20;
                long t = System.nanoTime();
                for (long sent = 0; sent < total; sent += chunk.length) {
                    out.write(chunk);
                }
                c.shutdownOutput();
                in.read();
                double secs = (System.nanoTime() - t) / 1e9;
                return new double[] {total / 1e6 / secs, rtt[(pings - 1) / 2], rtt[(int) Math.ceil(pings * 0.99) - 1]};
            }
        }
    }

    static long median(List<Long> v) {
        List<Long> s = v.stream().sorted().toList();
        return s.get((s.size() - 1) / 2);
    }

    static long min(List<Long> v) {
        return v.stream().mapToLong(Long::longValue).min().orElse(0);
    }

    static long max(List<Long> v) {
        return v.stream().mapToLong(Long::longValue).max().orElse(0);
    }
}
