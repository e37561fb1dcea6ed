package org.p2pchat.signaling.dht.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.p2pchat.core.IceServer;
import org.p2pchat.core.signaling.ProviderCapability;
import org.p2pchat.rendezvous.RendezvousLimits;
import org.p2pchat.rendezvous.RendezvousServer;
import org.p2pchat.rendezvous.TurnService;
import org.p2pchat.signaling.dht.internal.DhtLink;
import org.p2pchat.signaling.dht.internal.DhtTimings;
import org.p2pchat.testing.Coturn;
import org.p2pchat.testing.NetworkIsolation;
import org.p2pchat.testing.TurnAllocation;

/**
 * The DHT provider's {@link ProviderCapability#ICE_SERVERS}: a person who adds a rendezvous
 * service that runs TURN gets its servers with fresh credentials, nothing else to type; they
 * allocate on the real coturn and are renewed before they run out.
 */
class TurnCredentialsProviderTest {

    private static final String SECRET = "the-relay-and-its-coturn-share-this";
    private static Coturn coturn;

    @BeforeAll
    static void startCoturn() throws Exception {
        NetworkIsolation.requireIsolatedNetwork();
        coturn = Coturn.startWithSecret(Path.of("target", "coturn-dht"), NetworkIsolation.TEST_ADDRESS, 3478, SECRET);
    }

    @AfterAll
    static void stopCoturn() {
        if (coturn != null) {
            coturn.close();
        }
    }

    private static RendezvousServer serviceWithTurn(long ttlSeconds) throws Exception {
        return serviceWithTurn(ttlSeconds, 0);
    }

    /** A service on {@code port} (0: any free one) that hands out credentials for the test's coturn. */
    private static RendezvousServer serviceWithTurn(long ttlSeconds, int port) throws Exception {
        String hostPort = coturn.address() + ":" + coturn.port();
        TurnService turn = TurnService.of(List.of("stun:" + hostPort, "turn:" + hostPort + "?transport=udp",
                "turn:" + hostPort + "?transport=tcp"), SECRET.getBytes(StandardCharsets.UTF_8), ttlSeconds);
        return RendezvousServer.start(new InetSocketAddress(InetAddress.getByName(NetworkIsolation.TEST_ADDRESS), port),
                RendezvousLimits.DEFAULTS.withoutRateLimit(), System::currentTimeMillis, null, turn);
    }

    private static URI uri(RendezvousServer server) {
        return URI.create("http://" + NetworkIsolation.TEST_ADDRESS + ":" + server.address().getPort());
    }

    @Test
    void theProviderSuppliesTheServiceTurnServersAndTheyAllocate() throws Exception {
        try (RendezvousServer service = serviceWithTurn(600);
                Member alice = Member.own("alice", DhtTimings.DEFAULTS, false, uri(service))) {
            alice.awaitRegistered();
            List<IceServer> servers = Await.until(() -> alice.link.iceServers().isEmpty() ? null
                    : alice.link.iceServers(), "ICE servers from the service");
            String hostPort = coturn.address() + ":" + coturn.port();
            assertEquals(List.of("stun:" + hostPort, "turn:" + hostPort + "?transport=udp",
                    "turn:" + hostPort + "?transport=tcp"), servers.stream().map(IceServer::url).toList());
            assertEquals("", servers.get(0).username(), "STUN takes no credentials");
            IceServer udp = servers.get(1);
            assertTrue(udp.username().endsWith(":" + alice.id()), "issued to alice's identity: " + udp.username());
            assertEquals(udp.username(), servers.get(2).username());
            for (IceServer turn : servers.subList(1, 3)) {
                TurnAllocation.Result result = TurnAllocation.allocate(coturn.address(), coturn.port(),
                        turn.url().endsWith("tcp"), turn.username(), turn.credential());
                assertTrue(result.allocated(), turn.url() + ": " + result);
            }
        }
    }

    @Test
    void credentialsAreRenewedBeforeTheyRunOut() throws Exception {
        // A lifetime of 12 s: renewed after 8 s (two thirds), long before it runs out.
        try (RendezvousServer service = serviceWithTurn(12);
                Member alice = Member.own("alice", DhtTimings.DEFAULTS, false, uri(service))) {
            alice.awaitRegistered();
            IceServer first = Await.until(() -> alice.link.iceServers().size() == 3 ? alice.link.iceServers().get(1)
                    : null, "the first credentials");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            IceServer renewed = first;
            while (renewed.equals(first) && System.nanoTime() < deadline) {
                Thread.sleep(200);
                List<IceServer> now = alice.link.iceServers();
                assertEquals(3, now.size(), "the servers stay available while they are renewed");
                renewed = now.get(1);
            }
            assertNotEquals(first, renewed, "no new credentials within 30 s of a lifetime of 12 s");
            assertTrue(renewed.username().compareTo(first.username()) > 0, "a later expiry: " + first.username()
                    + " then " + renewed.username());
            TurnAllocation.Result result = TurnAllocation.allocate(coturn.address(), coturn.port(), false,
                    renewed.username(), renewed.credential());
            assertTrue(result.allocated(), result.toString());
            assertTrue(((DhtLink) alice.link).turnCredentialFetches().get(uri(service)) >= 2);
        }
    }

    @Test
    void credentialsAreFetchedAgainAtOnceWhenTheServiceRestarted() throws Exception {
        RendezvousServer service = serviceWithTurn(600);
        int port = service.address().getPort();
        URI uri = uri(service);
        try (Member alice = Member.own("alice", DhtTimings.DEFAULTS, false, uri)) {
            alice.awaitRegistered();
            DhtLink link = (DhtLink) alice.link;
            Await.until(() -> link.turnCredentialFetches().get(uri) == 1 ? true : null, "the first credentials");
            // A restarted relay may run its coturn with a new secret: credentials are fetched anew
            // with the new registration, not 400 s later at their renewal.
            service.close();
            service = serviceWithTurn(600, port);
            Await.until(() -> link.turnCredentialFetches().get(uri) >= 2 ? true : null,
                    "credentials fetched again after the restart");
            assertEquals(3, alice.link.iceServers().size());
        } finally {
            service.close();
        }
    }

    @Test
    void aServiceWithoutTurnGivesNone() throws Exception {
        try (TestService service = TestService.direct();
                Member alice = Member.own("alice", DhtTimings.DEFAULTS, false, service.uri())) {
            alice.awaitRegistered();
            assertEquals(List.of(), alice.link.iceServers());
            assertEquals(0, ((DhtLink) alice.link).turnCredentialFetches().get(service.uri()),
                    "nothing asked of a service whose /v1/info says \"turn\": false");
        }
    }
}
