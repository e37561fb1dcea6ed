package org.p2pchat.transport.webrtc.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.p2pchat.core.IceServer;
import org.p2pchat.core.PeerTransport;
import org.p2pchat.core.health.HealthStatus;
import org.p2pchat.testing.Coturn;
import org.p2pchat.testing.NetworkIsolation;

/** Health checks of STUN/TURN servers against a real coturn in the test namespace. */
class IceServerCheckTest {

    private static Coturn coturn;
    private static PeerTransport transport;

    @BeforeAll
    static void startCoturn() throws Exception {
        NetworkIsolation.requireIsolatedNetwork();
        coturn = Coturn.start(Files.createTempDirectory("coturn"), NetworkIsolation.TEST_ADDRESS, 3478);
        transport = PeerPair.transport();
    }

    @AfterAll
    static void stopCoturn() {
        if (coturn != null) {
            coturn.close();
        }
    }

    /**
     * The check's result. The check has a time limit of its own; this one only matters when that
     * is broken, so it is generous for a busy machine.
     */
    private static HealthStatus check(IceServer server) throws Exception {
        return transport.checkIceServer(server).get(60, TimeUnit.SECONDS);
    }

    @Test
    void aWorkingStunServerIsOk() throws Exception {
        HealthStatus status = check(IceServer.stun(coturn.stunUrl()));
        assertEquals(HealthStatus.Level.OK, status.level(), status.summary());
    }

    @Test
    void aWorkingTurnServerGivesARelayAddress() throws Exception {
        HealthStatus status = check(new IceServer(coturn.turnUrl(), Coturn.USER, Coturn.PASSWORD));
        assertEquals(HealthStatus.Level.OK, status.level(), status.summary());
        assertTrue(status.summary().contains("relay address " + NetworkIsolation.TEST_ADDRESS), status.summary());
    }

    @Test
    void aTurnServerOverTcpGivesARelayAddress() throws Exception {
        HealthStatus status = check(new IceServer(coturn.turnUrl() + "?transport=tcp", Coturn.USER, Coturn.PASSWORD));
        assertEquals(HealthStatus.Level.OK, status.level(), status.summary());
        assertTrue(status.summary().contains("relay address " + NetworkIsolation.TEST_ADDRESS), status.summary());
    }

    @Test
    void wrongTurnCredentialsOverTcpAreNamedAsTheProblem() throws Exception {
        HealthStatus status = check(new IceServer(coturn.turnUrl() + "?transport=tcp", Coturn.USER, "wrong"));
        assertEquals(HealthStatus.Level.FAILED, status.level(), status.summary());
        assertTrue(status.summary().contains("credential"), status.summary());
    }

    @Test
    void aDeadStunServerIsNotTakenForOne() throws Exception {
        HealthStatus status = check(IceServer.stun("stun:" + NetworkIsolation.TEST_PEER_ADDRESS + ":3999"));
        assertEquals(HealthStatus.Level.FAILED, status.level(), status.summary());
    }

    @Test
    void aStunCheckOfATurnServerWithoutCredentialsStillNeedsAnAnswer() throws Exception {
        // coturn answers binding requests without credentials: a STUN check of it passes ...
        assertEquals(HealthStatus.Level.OK, check(IceServer.stun(coturn.stunUrl())).level());
        // ... and one of a port where nothing listens does not.
        HealthStatus status = check(IceServer.stun("stun:" + NetworkIsolation.TEST_ADDRESS + ":3999"));
        assertEquals(HealthStatus.Level.FAILED, status.level(), status.summary());
    }

    @Test
    void wrongTurnCredentialsAreNamedAsTheProblem() throws Exception {
        HealthStatus status = check(new IceServer(coturn.turnUrl(), Coturn.USER, "wrong"));
        assertEquals(HealthStatus.Level.FAILED, status.level(), status.summary());
        assertTrue(status.summary().contains("credential"), status.summary());
    }

    @Test
    void aDeadServerFailsWithinTheTimeout() throws Exception {
        HealthStatus status = check(new IceServer("turn:" + NetworkIsolation.TEST_PEER_ADDRESS + ":3999", "u", "p"));
        assertEquals(HealthStatus.Level.FAILED, status.level(), status.summary());
        // It gives up by itself, saying why: its own time limit, or gathering ended without a relay.
        assertTrue(status.summary().startsWith("no answer within 5 s")
                || status.summary().startsWith("no relay address came back"), status.summary());
    }

    @Test
    void aMalformedUrlIsAFailureNotACrash() throws Exception {
        HealthStatus status = check(IceServer.stun("stun:"));
        assertEquals(HealthStatus.Level.FAILED, status.level(), status.summary());
    }
}
