package org.p2pchat.relay.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.p2pchat.testing.NetworkIsolation;
import org.p2pchat.testing.RelayProcess;

/**
 * The relay on IPv6, as its README says: bound to {@code ::} it serves IPv6 and IPv4 clients, and
 * it limits an IPv6 client by its /64, not by its single address. The test puts three addresses
 * of the documentation prefix 2001:db8::/32 on the loopback interface of the test's own network
 * namespace (testnet.sh), two in one /64 and one in another, and removes them afterwards.
 */
class RelayIpv6Test {

    private static final String FIRST_IN_SUBNET = "2001:db8:0:1::1";
    private static final String SECOND_IN_SUBNET = "2001:db8:0:1::2";
    private static final String OTHER_SUBNET = "2001:db8:0:2::1";
    private static final List<String> ADDED = new ArrayList<>();

    @BeforeAll
    static void addAddresses() throws Exception {
        NetworkIsolation.requireIsolatedNetwork();
        for (String address : List.of(FIRST_IN_SUBNET, SECOND_IN_SUBNET, OTHER_SUBNET)) {
            ip("-6", "addr", "add", address + "/128", "dev", "lo", "nodad");
            ADDED.add(address);
        }
    }

    @AfterAll
    static void removeAddresses() throws Exception {
        for (String address : ADDED) {
            ip("-6", "addr", "del", address + "/128", "dev", "lo");
        }
        ADDED.clear();
    }

    @Test
    void boundToAllAddressesItServesIpv6AndIpv4Clients() throws Exception {
        try (RelayProcess relay = Relays.start("--bind", "::", "--port", "0")) {
            InetSocketAddress listening = relay.awaitListening(Relays.START_SECONDS);
            InetAddress bound = InetAddress.getByName(listening.getHostString());
            assertInstanceOf(Inet6Address.class, bound, relay.output());
            assertTrue(bound.isAnyLocalAddress(), relay.output());
            int port = listening.getPort();
            for (String server : List.of("::1", OTHER_SUBNET, "127.0.0.1", NetworkIsolation.TEST_ADDRESS)) {
                try (HttpClient client = client(null)) {
                    HttpResponse<String> health = get(client, server, port);
                    assertEquals(200, health.statusCode(), server + ": " + health.body());
                }
            }
            assertTrue(relay.stderr().isEmpty(), relay.output());
        }
    }

    @Test
    void ipv6ClientsAreRateLimitedByTheirSlash64() throws Exception {
        // A burst of 3 and a refill of one request per 1,000 s: nothing refills during the test.
        try (RelayProcess relay = Relays.start("--bind", "::", "--port", "0", "--requests-per-second", "0.001",
                "--request-burst", "3");
                HttpClient first = client(FIRST_IN_SUBNET);
                HttpClient second = client(SECOND_IN_SUBNET);
                HttpClient other = client(OTHER_SUBNET)) {
            int port = relay.awaitListening(Relays.START_SECONDS).getPort();
            assertEquals(200, get(first, "::1", port).statusCode());
            assertEquals(200, get(first, "::1", port).statusCode());
            assertEquals(200, get(second, "::1", port).statusCode(), "the third request of the /64");
            assertEquals(429, get(second, "::1", port).statusCode(), "another address of the same /64 shares its budget");
            assertEquals(429, get(first, "::1", port).statusCode());

            assertEquals(200, get(other, "::1", port).statusCode(), "another /64 has a budget of its own");
            assertEquals(200, get(other, "::1", port).statusCode());
            assertEquals(200, get(other, "::1", port).statusCode());
            assertEquals(429, get(other, "::1", port).statusCode());
            assertTrue(relay.stderr().isEmpty(), relay.output());
        }
    }

    /** A client whose connections come from {@code localAddress} (null: any). */
    private static HttpClient client(String localAddress) throws IOException {
        HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .proxy(HttpClient.Builder.NO_PROXY).connectTimeout(Duration.ofSeconds(5));
        if (localAddress != null) {
            builder.localAddress(InetAddress.getByName(localAddress)); // a literal: never looked up
        }
        return builder.build();
    }

    private static HttpResponse<String> get(HttpClient client, String server, int port)
            throws IOException, InterruptedException {
        String host = server.contains(":") ? "[" + server + "]" : server;
        return client.send(HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + "/health"))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void ip(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        Process ip = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(ip.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (ip.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
    }
}
