package org.p2pchat.relay.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.p2pchat.testing.NetworkIsolation;
import org.p2pchat.testing.RelayProcess;
import org.p2pchat.testing.TurnAllocation;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * {@code turn = supervise}: the relay product starts coturn with the config made from
 * stunturn/turnserver.conf.template and its own secret, hands out credentials that coturn
 * accepts, starts coturn again after it was killed, and stops it when the relay stops.
 */
class RelayTurnTest {

    private static final String SECRET = "relay-and-coturn-share-this-secret";
    private static final Pattern COTURN_STARTED = Pattern.compile("TURN: coturn started \\(pid (\\d+),");

    @Test
    void supervisedCoturnAcceptsIssuedCredentialsIsRestartedAfterKillAndStopsWithTheRelay() throws Exception {
        NetworkIsolation.requireIsolatedNetwork();
        Path dir = Relays.work("turn-supervise");
        Path secretFile = Files.writeString(dir.resolve("turn-secret"), SECRET + "\n");
        Path coturnDir = dir.resolve("coturn");
        String turnHost = NetworkIsolation.TEST_ADDRESS;
        try (RelayProcess relay = Relays.start("--bind", "127.0.0.1", "--port", "0", "--turn", "supervise",
                "--turn-listen-ip", turnHost, "--turn-port", "3478", "--turn-relay-ports", "49400-49500",
                "--turn-secret-file", secretFile.toString(), "--turn-work-dir", coturnDir.toString(),
                "--turn-ttl-seconds", "600");
                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                        .proxy(HttpClient.Builder.NO_PROXY).connectTimeout(Duration.ofSeconds(5)).build()) {
            InetSocketAddress address = relay.awaitListening(Relays.START_SECONDS);
            long firstPid = Long.parseLong(relay.awaitLine(COTURN_STARTED, 5).group(1));

            Path config = coturnDir.resolve("turnserver.conf");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(config)),
                    "the config holds the secret");
            String written = Files.readString(config);
            for (String line : new String[] { "use-auth-secret", "static-auth-secret=" + SECRET, "fingerprint",
                    "no-multicast-peers", "denied-peer-ip=10.0.0.0-10.255.255.255", "denied-peer-ip=::1",
                    "min-port=49400", "max-port=49500", "listening-ip=" + turnHost }) {
                assertTrue(written.lines().anyMatch(line::equals), "config line " + line + " in\n" + written);
            }
            assertFalse(written.lines().anyMatch(l -> !l.startsWith("#") && l.contains("@")),
                    "every placeholder filled or its line left out:\n" + written);

            HttpResponse<String> info = Relays.get(address, "/v1/info");
            assertTrue(JsonParser.parseString(info.body()).getAsJsonObject().get("turn").getAsBoolean(), info.body());
            JsonObject server = credentials(client, address);
            String expectedUrl = "turn:" + turnHost + ":3478?transport=udp";
            assertTrue(server.getAsJsonArray("urls").toString().contains(expectedUrl), server.toString());
            String username = server.get("username").getAsString();
            String credential = server.get("credential").getAsString();
            assertAllocates(turnHost, username, credential);

            ProcessHandle.of(firstPid).orElseThrow().destroyForcibly();
            relay.awaitLine(Pattern.compile("WARN TURN: coturn \\(pid " + firstPid + "\\) exited"), 20);
            long secondPid = Long.parseLong(relay.awaitLine(
                    Pattern.compile("TURN: coturn started \\(pid (?!" + firstPid + ",)(\\d+),"), 30).group(1));
            assertNotEquals(firstPid, secondPid);
            assertAllocates(turnHost, username, credential);

            relay.signal("TERM");
            assertEquals(0, relay.awaitExit(Relays.STOP_SECONDS), relay.output());
            Optional<ProcessHandle> second = ProcessHandle.of(secondPid);
            if (second.isPresent()) {
                second.get().onExit().get(10, TimeUnit.SECONDS);
            }
            assertFalse(ProcessHandle.of(secondPid).map(ProcessHandle::isAlive).orElse(false),
                    "coturn stopped with the relay");
            assertTrue(relay.stdout().stream().anyMatch(l -> l.contains("TURN: coturn (pid " + secondPid
                    + ") stopped")), relay.output());
            assertFalse(relay.output().contains(SECRET), "the secret is never logged:\n" + relay.output());
        }
    }

    @Test
    void relaySaysClearlyWhenCoturnIsNotInstalled() throws Exception {
        Path dir = Relays.work("turn-missing");
        try (RelayProcess relay = Relays.start("--bind", "127.0.0.1", "--port", "0", "--turn", "supervise",
                "--turn-listen-ip", "127.0.0.1", "--turn-binary", dir.resolve("no-such/turnserver").toString(),
                "--turn-work-dir", dir.resolve("coturn").toString())) {
            assertEquals(1, relay.awaitExit(Relays.START_SECONDS), relay.output());
            assertTrue(relay.output().contains("coturn is not installed"), relay.output());
            assertTrue(relay.output().contains("apt-get install coturn"), relay.output());
        }
    }

    @Test
    void badTurnSettingsAreRefusedWithoutShowingTheSecret() throws Exception {
        Path dir = Relays.work("turn-bad");
        Path weak = Files.writeString(dir.resolve("weak-secret"), "weakling7\n");
        try (RelayProcess relay = Relays.start("--port", "0", "--turn", "external", "--turn-secret-file",
                weak.toString(), "--turn-urls", "turn:192.0.2.1:3478")) {
            assertEquals(2, relay.awaitExit(Relays.START_SECONDS), relay.output());
            assertTrue(relay.output().contains("--turn-secret-file"), relay.output());
            assertFalse(relay.output().contains("weakling7"), "the secret is not shown:\n" + relay.output());
        }
        try (RelayProcess relay = Relays.start("--port", "0", "--turn-urls", "turn:192.0.2.1:3478")) {
            assertEquals(2, relay.awaitExit(Relays.START_SECONDS), relay.output());
            assertTrue(relay.output().contains("turn is off"), relay.output());
        }
    }

    private static JsonObject credentials(HttpClient client, InetSocketAddress relay) throws Exception {
        String service = JsonParser.parseString(Relays.get(relay, "/v1/info").body()).getAsJsonObject()
                .get("service").getAsString();
        RelayUnderSignalFloodTest.Peer peer = new RelayUnderSignalFloodTest.Peer(service);
        HttpResponse<String> registered = peer.register(client, relay, "alice");
        assertEquals(200, registered.statusCode(), registered.body());
        HttpResponse<String> answer = peer.send(client, relay, "GET", "/v1/turn", null);
        assertEquals(200, answer.statusCode(), answer.body());
        JsonObject server = JsonParser.parseString(answer.body()).getAsJsonObject().getAsJsonArray("iceServers")
                .get(0).getAsJsonObject();
        assertTrue(server.get("username").getAsString().endsWith(":" + peer.id), server.toString());
        return server;
    }

    /** An allocation over UDP and over TCP; coturn may still be starting (after a restart), so a few tries. */
    private static void assertAllocates(String host, String username, String credential) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (boolean tcp : new boolean[] { false, true }) {
            while (true) {
                try {
                    TurnAllocation.Result result = TurnAllocation.allocate(host, 3478, tcp, username, credential);
                    assertTrue(result.allocated(), (tcp ? "TCP: " : "UDP: ") + result);
                    break;
                } catch (java.io.IOException notListeningYet) {
                    if (System.nanoTime() > deadline) {
                        throw notListeningYet;
                    }
                    Thread.sleep(200);
                }
            }
        }
    }
}
