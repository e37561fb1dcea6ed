package org.p2pchat.ui.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;

import org.p2pchat.core.IceServer;
import org.p2pchat.core.PeerSession;
import org.p2pchat.core.PeerTransport;
import org.p2pchat.core.SessionConfig;
import org.p2pchat.core.health.HealthStatus;

/** A transport whose every session is the one the test scripts. */
record ScriptedTransport(ScriptedSession session) implements PeerTransport {

    @Override
    public PeerSession createSession(SessionConfig config) {
        assertTrue(config.iceServers().isEmpty(), "tests use no ICE servers");
        return session;
    }

    @Override
    public CompletableFuture<HealthStatus> checkIceServer(IceServer server) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException());
    }
}
