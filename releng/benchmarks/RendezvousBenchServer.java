import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;

import org.p2pchat.rendezvous.RendezvousLimits;
import org.p2pchat.rendezvous.RendezvousServer;

/**
 * The rendezvous server for releng/benchmarks/rendezvous.sh, alone in its JVM so that its heap
 * figures are the server's: listens on 127.0.0.1 (ephemeral port), prints "PORT n", then answers
 * commands on stdin, one per line: "heap" (full GC, then "HEAP usedBytes"), "stats", "quit".
 *
 * <p>Limits: the defaults, without rate limiting, with room for the benchmark's peers and signals,
 * and (benchmark only) a clock window of 10 minutes, so that requests signed ahead of a run stay
 * valid through it; every signature is still verified and every nonce checked.
 */
public final class RendezvousBenchServer {

    public static void main(String[] args) throws Exception {
        RendezvousLimits limits = RendezvousLimits.DEFAULTS.withoutRateLimit().toBuilder()
                .maxPeers(400_000).maxSignalsPerPeer(10_000).maxSignalsTotal(10_000_000)
                .maxQueuedSignalBytes(2L << 30).maxClockSkewMillis(600_000).maxRememberedNonces(5_000_000)
                .maxWaitingFetches(100_000).build();
        try (RendezvousServer server = RendezvousServer.start(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), limits)) {
            System.out.println("PORT " + server.address().getPort());
            BufferedReader commands = new BufferedReader(new InputStreamReader(System.in));
            for (String command; (command = commands.readLine()) != null && !command.equals("quit");) {
                switch (command) {
                    case "heap" -> System.out.println("HEAP " + heapAfterGc());
                    case "stats" -> System.out.println("STATS " + server.statistics());
                    default -> System.out.println("ERROR unknown command " + command);
                }
            }
        }
    }

    /** Heap in use after full collections (repeated until it stops shrinking much). */
    private static long heapAfterGc() throws InterruptedException {
        var memory = ManagementFactory.getMemoryMXBean();
        long previous = Long.MAX_VALUE;
        long used = 0;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(200);
            used = memory.getHeapMemoryUsage().getUsed();
            if (used > previous - 256 * 1024) {
                break;
            }
            previous = used;
        }
        return used;
    }
}
