import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;

import javax.management.ObjectName;

import org.p2pchat.rendezvous.RendezvousLimits;
import org.p2pchat.rendezvous.RendezvousServer;

/**
 * The rendezvous server for releng/benchmarks/rendezvous.sh, alone in its JVM so that its heap
 * figures are the server's: listens on 127.0.0.1 (ephemeral port), prints "PORT n", then answers
 * commands on stdin, one per line: "heap" (full GC, then "HEAP liveBytes usedBytes": the bytes of the
 * live objects per the class histogram, and the heap in use per the memory bean, which counts
 * partly filled G1 regions too), "stats", "quit".
 *
 * <p>Limits: the defaults, without rate limiting, with room for the benchmark's peers and signals,
 * and (benchmark only) a clock window of 10 minutes, so that requests signed ahead of a run stay
 * valid through it (every signature is still verified and every nonce checked), and registrations
 * that last 30 minutes, so that the peers registered at the start stay through all runs.
 */
public final class RendezvousBenchServer {

    public static void main(String[] args) throws Exception {
        RendezvousLimits limits = RendezvousLimits.DEFAULTS.withoutRateLimit().toBuilder()
                .maxPeers(400_000).maxSignalsPerPeer(10_000).maxSignalsTotal(10_000_000)
                .maxQueuedSignalBytes(2L << 30).peerTtlMillis(1_800_000).maxClockSkewMillis(600_000).maxRememberedNonces(5_000_000)
                .maxWaitingFetches(100_000).build();
        limits = withoutPerAddressShares(limits);
        try (RendezvousServer server = RendezvousServer.start(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), limits)) {
            System.out.println("PORT " + server.address().getPort());
            BufferedReader commands = new BufferedReader(new InputStreamReader(System.in));
            for (String command; (command = commands.readLine()) != null && !command.equals("quit");) {
                switch (command) {
                    case "heap" -> System.out.println("HEAP " + liveBytes() + " " + heapAfterGc());
                    case "stats" -> System.out.println("STATS " + server.statistics());
                    default -> System.out.println("ERROR unknown command " + command);
                }
            }
        }
    }

    /**
     * Every client of the benchmark is 127.0.0.1: its share of each pool is all of it. Set by name,
     * since a baseline product built before these limits has none of them.
     */
    private static RendezvousLimits withoutPerAddressShares(RendezvousLimits limits) throws Exception {
        RendezvousLimits.Builder builder = limits.toBuilder();
        set(builder, "maxConnectionsPerAddress", int.class, 1_000_000);
        set(builder, "maxQueuedSignalBytesPerAddress", long.class, 2L << 30);
        set(builder, "maxWaitingFetchesPerAddress", int.class, 100_000);
        return builder.build();
    }

    private static void set(RendezvousLimits.Builder builder, String limit, Class<?> type, Object value)
            throws Exception {
        try {
            builder.getClass().getMethod(limit, type).invoke(builder, value);
        } catch (NoSuchMethodException e) {
            // The baseline has no such limit.
        }
    }

    /** The total of the class histogram, which is taken after a full GC. */
    private static long liveBytes() throws Exception {
        String histogram = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] {new String[0]}, new String[] {String[].class.getName()});
        String total = histogram.lines().filter(line -> line.startsWith("Total")).findFirst().orElseThrow();
        String[] fields = total.trim().split("\\s+");
        return Long.parseLong(fields[fields.length - 1]);
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
