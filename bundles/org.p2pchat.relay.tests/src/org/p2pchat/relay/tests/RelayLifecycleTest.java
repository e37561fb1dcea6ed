package org.p2pchat.relay.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.junit.jupiter.api.Test;
import org.p2pchat.testing.RelayProcess;

/**
 * The materialized relay product as an administrator runs it: started by its script on loopback,
 * serving the rendezvous API, stopped by signals. Traffic goes to 127.0.0.1 only.
 */
class RelayLifecycleTest {

    @Test
    void startsOnLoopbackAndServesHealthAndTheWebAppsApi() throws Exception {
        try (RelayProcess relay = Relays.start("--bind", "127.0.0.1", "--port", "0")) {
            InetSocketAddress address = relay.awaitListening(Relays.START_SECONDS);
            assertEquals("127.0.0.1", address.getHostString());

            HttpResponse<String> health = Relays.get(address, "/health");
            assertEquals(200, health.statusCode(), health.body());
            assertEquals("healthy", json(health).get("status").getAsString());

            HttpResponse<String> registered = Relays.postJson(address, "/register", "{\"peerId\":\"alice-1\",\"name\":\"alice\"}");
            assertEquals(201, registered.statusCode(), registered.body());
            JsonArray peers = JsonParser.parseString(Relays.get(address, "/peers").body()).getAsJsonArray();
            assertEquals("alice-1", peers.get(0).getAsJsonObject().get("peerId").getAsString(), peers.toString());

            HttpResponse<String> sent = Relays.postJson(address, "/signal",
                    "{\"from\":\"bob-1\",\"to\":\"alice-1\",\"type\":\"offer\",\"payload\":\"{}\"}");
            assertEquals(201, sent.statusCode(), sent.body());
            JsonArray signals = JsonParser.parseString(Relays.get(address, "/signal/alice-1").body()).getAsJsonArray();
            assertEquals(1, signals.size(), signals.toString());
            assertEquals("bob-1", signals.get(0).getAsJsonObject().get("from").getAsString());
            assertEquals("offer", signals.get(0).getAsJsonObject().get("type").getAsString());

            assertTrue(relay.stderr().isEmpty(), relay.output());
        }
    }

    @Test
    void sigtermStopsTheServerLogsItAndExitsWithZeroWithinSeconds() throws Exception {
        try (RelayProcess relay = Relays.start("--bind", "127.0.0.1", "--port", "0")) {
            InetSocketAddress address = relay.awaitListening(Relays.START_SECONDS);
            assertEquals(200, Relays.get(address, "/health").statusCode());

            // A client's connection is open when the signal comes: the stop must not wait for it to go idle.
            try (Socket open = new Socket(address.getAddress(), address.getPort())) {
                relay.signal("TERM");
                assertEquals(0, relay.awaitExit(Relays.STOP_SECONDS), relay.output());
            }

            List<String> log = relay.stdout();
            assertTrue(log.stream().anyMatch(l -> l.endsWith(" INFO stopping (SIGTERM)")), relay.output());
            assertTrue(log.getLast().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z INFO stopped"), relay.output());
            assertTrue(relay.stderr().isEmpty(), relay.output());
            assertPortReleased(address);
        }
    }

    @Test
    void sigintFromCtrlCStopsItTheSameWay() throws Exception {
        try (RelayProcess relay = Relays.start("--bind", "127.0.0.1", "--port", "0")) {
            InetSocketAddress address = relay.awaitListening(Relays.START_SECONDS);
            relay.signal("INT");
            assertEquals(0, relay.awaitExit(Relays.STOP_SECONDS), relay.output());
            assertTrue(relay.stdout().stream().anyMatch(l -> l.endsWith(" INFO stopping (SIGINT)")), relay.output());
            assertTrue(relay.stdout().getLast().endsWith(" INFO stopped"), relay.output());
            assertPortReleased(address);
        }
    }

    @Test
    void aRelayStartedForAClientStopsWhenTheClientIsKilled() throws Exception {
        // The one-click local relay is started with the client's process id; a client killed with
        // SIGKILL runs no shutdown hook to stop it.
        Process client = new ProcessBuilder("sleep", "300").start();
        try (RelayProcess relay = Relays.start("--bind", "127.0.0.1", "--port", "0", "--stop-with-process",
                Long.toString(client.pid()))) {
            InetSocketAddress address = relay.awaitListening(Relays.START_SECONDS);
            assertEquals(200, Relays.get(address, "/health").statusCode());
            assertTrue(relay.stdout().stream().anyMatch(l -> l.contains(" or the end of process " + client.pid() + ")")),
                    relay.output());

            client.destroyForcibly();
            client.waitFor();
            assertEquals(0, relay.awaitExit(Relays.STOP_SECONDS), relay.output());
            assertTrue(relay.stdout().stream().anyMatch(l -> l.endsWith(" INFO stopping (process " + client.pid()
                    + " ended)")), relay.output());
            assertTrue(relay.stdout().getLast().endsWith(" INFO stopped"), relay.output());
            assertPortReleased(address);
        } finally {
            client.destroyForcibly();
        }
    }

    @Test
    void aRelayToStopWithAProcessThatIsGoneStopsAtOnce() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        try (RelayProcess relay = Relays.start("--bind", "127.0.0.1", "--port", "0", "--stop-with-process",
                Long.toString(gone.pid()))) {
            assertEquals(0, relay.awaitExit(Relays.START_SECONDS), relay.output());
            assertTrue(relay.stdout().stream().anyMatch(l -> l.endsWith(" INFO stopping (process " + gone.pid()
                    + " is not running)")), relay.output());
        }
    }

    @Test
    void aPortInUseIsReportedInTheLogAndExitsWithOne() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                RelayProcess relay = Relays.start("--bind", "127.0.0.1", "--port", Integer.toString(taken.getLocalPort()))) {
            assertEquals(1, relay.awaitExit(Relays.START_SECONDS), relay.output());
            assertTrue(relay.stdout().stream().anyMatch(l -> l.contains(" ERROR cannot listen on 127.0.0.1:"
                    + taken.getLocalPort() + ": Address already in use")), relay.output());
            assertNoStackTrace(relay);
        }
    }

    @Test
    void twoRelaysFromOneInstallationRunSideBySideWithCachesOfTheirOwn() throws Exception {
        try (RelayProcess first = Relays.start("--bind", "127.0.0.1", "--port", "0");
                RelayProcess second = Relays.start("--bind", "127.0.0.1", "--port", "0")) {
            InetSocketAddress a = first.awaitListening(Relays.START_SECONDS);
            InetSocketAddress b = second.awaitListening(Relays.START_SECONDS);
            assertEquals(200, Relays.get(a, "/health").statusCode());
            assertEquals(200, Relays.get(b, "/health").statusCode());

            Path caches = Relays.state().resolve("configuration").toRealPath();
            Path firstCache = configurationOf(first);
            Path secondCache = configurationOf(second);
            assertNotEquals(firstCache, secondCache, "two relays, one framework cache");
            for (RelayProcess relay : List.of(first, second)) {
                Path cache = configurationOf(relay);
                assertEquals(caches, cache.getParent(), "a cache in the shared state directory");
                try (var files = Files.list(cache)) {
                    assertTrue(files.findAny().isPresent(), "the framework keeps its cache in " + cache);
                }
                assertTrue(openFiles(relay).contains(Path.of(cache + ".lock")),
                        "the relay holds its cache's lock while it runs: " + openFiles(relay));
            }
            first.signal("TERM");
            second.signal("TERM");
            assertEquals(0, first.awaitExit(Relays.STOP_SECONDS), first.output());
            assertEquals(0, second.awaitExit(Relays.STOP_SECONDS), second.output());
        }
    }

    @Test
    void theProductHoldsNoUserInterfaceBundles() throws IOException {
        Pattern ui = Pattern.compile("org\\.eclipse\\.(swt|jface|e4\\.ui|ui)[._].*|org\\.p2pchat\\.ui.*|dev\\.onvoid\\.webrtc.*");
        try (var plugins = Files.list(Relays.product().resolve("plugins"))) {
            List<String> names = plugins.map(Path::getFileName).map(Path::toString).toList();
            assertTrue(names.stream().anyMatch(n -> n.startsWith("org.p2pchat.relay_")), names.toString());
            assertEquals(List.of(), names.stream().filter(n -> ui.matcher(n).matches()).toList());
        }
    }

    /** The framework cache a running relay's JVM was started with ({@code -configuration}). */
    private static Path configurationOf(RelayProcess relay) throws IOException {
        List<String> args = List.of(Files.readString(Path.of("/proc", Long.toString(relay.pid()), "cmdline"))
                .split("\0"));
        int at = args.indexOf("-configuration");
        assertTrue(at >= 0 && at + 1 < args.size(), "no -configuration in " + args);
        return Path.of(args.get(at + 1)).toRealPath();
    }

    /** The files a relay's JVM holds open. */
    private static List<Path> openFiles(RelayProcess relay) throws IOException {
        List<Path> open = new ArrayList<>();
        try (var fds = Files.list(Path.of("/proc", Long.toString(relay.pid()), "fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    open.add(Files.readSymbolicLink(fd));
                } catch (IOException e) {
                    // closed meanwhile
                }
            }
        }
        return open;
    }

    static void assertNoStackTrace(RelayProcess relay) {
        String all = relay.output();
        assertTrue(!all.contains("Exception") && !all.contains("\tat "), "a stack trace: " + all);
    }

    private static void assertPortReleased(InetSocketAddress address) throws IOException {
        assertThrows(ConnectException.class, () -> new Socket(address.getAddress(), address.getPort()).close());
        try (ServerSocket again = new ServerSocket()) {
            // Connections of the test may linger in TIME_WAIT; only a listener would keep the port.
            again.setReuseAddress(true);
            again.bind(address);
        }
    }

    private static JsonObject json(HttpResponse<String> response) {
        return JsonParser.parseString(response.body()).getAsJsonObject();
    }
}
