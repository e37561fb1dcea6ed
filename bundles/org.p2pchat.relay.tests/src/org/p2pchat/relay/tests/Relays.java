package org.p2pchat.relay.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;

import org.p2pchat.testing.RelayProcess;

/** What the relay tests share: the materialized product, a work directory, HTTP on loopback. */
final class Relays {

    /** First start of a product JVM on two loaded cores can take a while. */
    static final long START_SECONDS = 60;
    /**
     * What "stops within seconds" is held to: generous for a loaded machine, yet half of what a stop
     * that waited for an open connection to go idle (30 s) or for a long poll to end would take.
     */
    static final long STOP_SECONDS = 15;

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .proxy(HttpClient.Builder.NO_PROXY)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private Relays() {
    }

    static Path product() {
        Path product = Path.of(System.getProperty("p2pchat.relay.product.dir", "(p2pchat.relay.product.dir not set)"));
        assertTrue(Files.isExecutable(product.resolve("p2pchat-relay")), "materialized relay product missing at " + product);
        return product;
    }

    /** A fresh directory for one test's files. */
    static Path work(String name) throws IOException {
        Path dir = Path.of(System.getProperty("p2pchat.test.work", "target/e2e"), name);
        if (Files.exists(dir)) {
            try (var old = Files.walk(dir)) {
                for (Path p : old.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        return Files.createDirectories(dir);
    }

    /**
     * Starts the relay. All relays of a run share one state directory, as relays of one
     * installation on one machine do; the start script gives each running one its own cache in it.
     */
    static RelayProcess start(String... args) throws IOException {
        return start(Map.of(), args);
    }

    /** Starts the relay with these variables in its script's environment (e.g. P2PCHAT_VMARGS). */
    static RelayProcess start(Map<String, String> environment, String... args) throws IOException {
        return RelayProcess.start(product(), state(), environment, args);
    }

    /** The state directory ({@code P2PCHAT_RELAY_STATE}) every relay of the run shares. */
    static Path state() {
        return Path.of(System.getProperty("p2pchat.test.work", "target/e2e"), "relay-state");
    }

    static HttpResponse<String> get(InetSocketAddress relay, String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(uri(relay, path)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> postJson(InetSocketAddress relay, String path, String json)
            throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(uri(relay, path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(InetSocketAddress relay, String path) {
        return URI.create("http://" + relay.getHostString() + ":" + relay.getPort() + path);
    }
}
