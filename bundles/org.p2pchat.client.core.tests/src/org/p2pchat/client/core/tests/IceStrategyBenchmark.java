package org.p2pchat.client.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.p2pchat.client.core.ClientEvent;
import org.p2pchat.client.core.Conversation;
import org.p2pchat.core.CandidatePath;
import org.p2pchat.core.settings.IceServerEntry;
import org.p2pchat.testing.Coturn;
import org.p2pchat.testing.NetworkIsolation;

/**
 * Connect time of the two ICE strategies of the client layer, in the same run: staged (STUN first,
 * TURN added by an ICE restart after a timeout or on failure, as the web app) against every server
 * at once. Two real clients in this framework, a real coturn on the test network, the test provider
 * carrying offers. Each scenario runs 5 times per strategy, alternating; prints the median and
 * every figure. Not a test (the name matches no test pattern): releng/benchmarks/ice-strategy.sh
 * runs it inside testnet.sh.
 */
public class IceStrategyBenchmark {

    private static final int RUNS = Integer.getInteger("p2pchat.benchmark.runs", 5);
    private static final String DEAD_TURN = "turn:" + NetworkIsolation.TEST_PEER_ADDRESS + ":3998";

    private record Scenario(String name, boolean relayOnly, List<IceServerEntry> servers) {
    }

    @Test
    void connectTimes() throws Exception {
        NetworkIsolation.requireIsolatedNetwork();
        Path work = Files.createTempDirectory("ice-bench");
        try (Coturn coturn = Coturn.start(work.resolve("coturn"), NetworkIsolation.TEST_ADDRESS, IcePathTest.TURN_PORT)) {
            IceServerEntry stun = new IceServerEntry("stun", coturn.stunUrl(), "", "", true, false);
            IceServerEntry turn = new IceServerEntry("turn", coturn.turnUrl(), Coturn.USER, Coturn.PASSWORD, true, false);
            IceServerEntry dead = new IceServerEntry("dead", DEAD_TURN, Coturn.USER, Coturn.PASSWORD, true, false);
            List<Scenario> scenarios = List.of(
                    new Scenario("direct path works (STUN + TURN set)", false, List.of(stun, turn)),
                    new Scenario("only a relay gets through (STUN + TURN set)", true, List.of(stun, turn)),
                    new Scenario("direct path works, a dead TURN server listed first", false, List.of(stun, dead, turn)),
                    new Scenario("only a relay gets through, a dead TURN server listed first", true,
                            List.of(stun, dead, turn)));
            int n = 0;
            for (Scenario s : scenarios) {
                List<Long> staged = new ArrayList<>();
                List<Long> all = new ArrayList<>();
                for (int i = 0; i < RUNS; i++) {
                    // Alternating, so that a busy moment of the machine falls on both.
                    staged.add(connectMillis(work.resolve("run" + n++), s, "staged"));
                    all.add(connectMillis(work.resolve("run" + n++), s, "all"));
                }
                print(s.name, "staged", staged);
                print(s.name, "all", all);
            }
        }
    }

    private static long connectMillis(Path dir, Scenario scenario, String strategy) throws Exception {
        System.setProperty("p2pchat.client.iceStrategy", strategy);
        try (PathFilter filter = new PathFilter(IcePathTest.TURN_PORT)) {
            Peers.Pair pair = Peers.Pair.inAFolder(dir);
            try (Peers.Person alice = pair.alice(); Peers.Person bob = pair.bob()) {
                for (Peers.Person p : List.of(alice, bob)) {
                    p.settings().save(p.settings().get().withIceServers(scenario.servers));
                }
                if (scenario.relayOnly) {
                    filter.relayOnly();
                }
                var peer = alice.client().find(DeliveryTest.FOLDER, "bob", java.time.Duration.ofSeconds(10))
                        .get(60, TimeUnit.SECONDS);
                // Bob accepts as soon as the request arrives: what is measured is the network's part.
                AutoCloseable accepting = bob.client().subscribe(Runnable::run, e -> {
                    if (e instanceof ClientEvent.RequestReceived r) {
                        bob.client().accept(r.request());
                    }
                });
                long start = System.nanoTime();
                Conversation c = alice.client().connect(peer);
                c.connected().get(120, TimeUnit.SECONDS);
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                // The path is read from the stats a moment after connecting.
                CandidatePath selected = alice.events().await(ClientEvent.PathSelected.class, e -> true, 30).path();
                if (scenario.relayOnly) {
                    // Otherwise the figure would not be a relayed connection's, as the scenario says.
                    assertEquals("relay", selected.summary(), "only a relay gets through: " + selected);
                }
                String path = selected.toString();
                accepting.close();
                System.out.println("ice-bench-run: " + scenario.name + " " + strategy + " " + millis + " ms " + path);
                return millis;
            } finally {
                System.clearProperty("p2pchat.client.iceStrategy");
            }
        }
    }

    private static void print(String scenario, String strategy, List<Long> millis) {
        List<Long> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        System.out.println("ice-bench: " + scenario + " | " + strategy + ": median " + sorted.get(sorted.size() / 2)
                + " ms (runs " + millis + ")");
    }
}
