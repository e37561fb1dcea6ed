import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import com.google.gson.JsonObject;

import org.p2pchat.testing.CliProcess;
import org.p2pchat.testing.NatLab;

/**
 * Figures across the NAT lab (releng/scripts/natlab.sh), for command-line clients of the product
 * with the lab's STUN and TURN (UDP and TCP) servers, meeting through the relay product on the
 * server host as the web app's users meet through its server: connect time per topology (median
 * of N), file throughput through TURN against the direct path in the same run, and coturn's CPU
 * per relayed MB/s. Run through natlab.sh in this directory.
 */
public class NatLabBenchmark {

    private static final String[] TOPOLOGIES = {"lan", "cone", "symmetric", "udp-blocked"};

    private static Path product;

    public static void main(String[] args) throws Exception {
        Path script = Path.of(args[0]);
        product = Path.of(args[1]);
        Path relayProduct = Path.of(args[2]);
        int runs = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        int mib = args.length > 4 ? Integer.parseInt(args[4]) : 32;
        String[] topologies = args.length > 5 ? args[5].split(",") : TOPOLOGIES;
        NatLab.unavailable(script).ifPresent(why -> {
            throw new IllegalStateException("no NAT lab here: " + why);
        });
        Path work = Files.createTempDirectory("p2pchat-natlab-bench");
        Path file = work.resolve("outbox").resolve("bench.bin");
        writeRandomFile(file, mib << 20);

        System.out.printf("P2P Chat NAT lab benchmark: %d connections per topology, a %d MiB file, product %s%n", runs,
                mib, product);
        System.out.printf("machine: %d cores, load average %s%n", Runtime.getRuntime().availableProcessors(),
                Files.readString(Path.of("/proc/loadavg")).trim());

        Map<String, String> rows = new LinkedHashMap<>();
        for (String topology : topologies) {
            Path dir = work.resolve(topology);
            List<Long> connectMs = new ArrayList<>();
            String path = "";
            String transfer = "";
            try (NatLab lab = NatLab.up(script, dir.resolve("lab"), topology, "--relay", relayProduct.toString())) {
                for (int run = 1; run <= runs; run++) {
                    Path runDir = dir.resolve("run" + run);
                    Path inbox = runDir.resolve("inbox");
                    try (CliProcess bob = client(lab, "peerB", "bob", runDir, "--accept", "--accept-files", inbox.toString(),
                            "listen")) {
                        bob.await(e -> "service".equals(e.get("event").getAsString())
                                && "registered".equals(e.get("state").getAsString()), "registration", 120);
                        try (CliProcess alice = client(lab, "peerA", "alice", runDir, "connect", "bob")) {
                            JsonObject connected = alice.awaitState("connected", 180);
                            bob.awaitState("connected", 60);
                            connectMs.add(connected.get("sinceStartMs").getAsLong());
                            alice.first("path", 60);
                            if (run == runs) {
                                transfer = sendFile(lab, alice, bob, file, mib);
                            }
                            // ICE may connect on a TURN pair and move to a better one: the pair it ended on.
                            path = alice.seen("path").getLast().get("detail").getAsString();
                            alice.send("/quit");
                            alice.awaitExit(60);
                            bob.awaitExit(60);
                        }
                    }
                }
            }
            List<Long> sorted = connectMs.stream().sorted().toList();
            rows.put(topology, String.format("connect median %5d ms (min %d, max %d) | %s | %s",
                    sorted.get(sorted.size() / 2), sorted.getFirst(), sorted.getLast(), path, transfer));
            System.out.printf("%-12s %s%n", topology, rows.get(topology));
        }
        System.out.println();
        System.out.println("Summary (connect = from `connect bob` to connected, through the relay product as rendezvous;");
        System.out.println("reference: the original web app polls its server every 2 s, and takes 3.6-4.0 s from Connect");
        System.out.println("to chatting even on loopback, mostly that polling):");
        rows.forEach((topology, row) -> System.out.printf("  %-12s %s%n", topology, row));
    }

    private static CliProcess client(NatLab lab, String node, String name, Path dir, String... mode) throws IOException {
        List<String> args = new ArrayList<>(List.of("--name", name, "--rendezvous", lab.get("RENDEZVOUS_URL"),
                "--ice", lab.get("STUN_URL"),
                "--ice", lab.get("TURN_URL"), "--ice-user", lab.get("TURN_USER"), "--ice-credential", lab.get("TURN_PASSWORD"),
                "--ice", lab.get("TURN_TCP_URL"), "--ice-user", lab.get("TURN_USER"), "--ice-credential",
                lab.get("TURN_PASSWORD")));
        args.addAll(List.of(mode));
        return CliProcess.start(name, lab.in(node), product, dir.resolve(name), Map.of(), args.toArray(String[]::new));
    }

    /** The file from alice to bob: throughput, what crossed the server, coturn's CPU per relayed MB/s. */
    private static String sendFile(NatLab lab, CliProcess alice, CliProcess bob, Path file, int mib) throws Exception {
        long bytesBefore = lab.serverBytes();
        double cpuBefore = lab.turnCpuSeconds();
        long started = System.nanoTime();
        alice.send("/send \"" + file + "\"");
        JsonObject received = bob.await("file-received", 600);
        double seconds = (System.nanoTime() - started) / 1e9;
        double cpu = lab.turnCpuSeconds() - cpuBefore;
        long serverBytes = lab.serverBytes() - bytesBefore;
        double mbPerSecond = (mib * 1.048576) / seconds;
        // Relayed bytes cross the server's interface twice (in from one peer, out to the other).
        double relayedMb = serverBytes / 2 / 1e6;
        String via = received.has("path") && !received.get("path").isJsonNull() ? received.get("path").getAsString() : "?";
        String relay = relayedMb > mib ? String.format("; coturn %.2f CPU-s for %.1f MB relayed = %.1f%% CPU per relayed MB/s",
                cpu, relayedMb, 100 * cpu / relayedMb) : String.format("; server carried %.2f MB", serverBytes / 1e6);
        return String.format("file %d MiB in %.1f s = %.1f MB/s via %s%s", mib, seconds, mbPerSecond, via, relay);
    }

    private static void writeRandomFile(Path file, int size) throws IOException {
        Files.createDirectories(file.getParent());
        SplittableRandom random = new SplittableRandom(size);
        byte[] block = new byte[1 << 16];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int done = 0; done < size; done += block.length) {
                random.nextBytes(block);
                out.write(block, 0, Math.min(block.length, size - done));
            }
        }
    }
}
