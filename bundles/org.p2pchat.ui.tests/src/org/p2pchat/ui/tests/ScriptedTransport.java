package org.p2pchat.ui.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import org.p2pchat.core.IceServer;
import org.p2pchat.core.PeerSession;
import org.p2pchat.core.PeerTransport;
import org.p2pchat.core.SessionConfig;
import org.p2pchat.core.health.HealthStatus;

/** A transport whose sessions are scripted: each one the client layer creates is kept for the test to drive. */
final class ScriptedTransport implements PeerTransport {

    final List<ScriptedSession> sessions = new CopyOnWriteArrayList<>();

    @Override
    public PeerSession createSession(SessionConfig config) {
        if (!config.iceServers().isEmpty()) { // said here too: the client layer may swallow the assertion's error
            System.out.println("ScriptedTransport: a session with ICE servers was asked for: " + config.iceServers());
        }
        assertTrue(config.iceServers().isEmpty(), "tests use no ICE servers");
        ScriptedSession session = new ScriptedSession();
        sessions.add(session);
        return session;
    }

    /** The session made last; null before the first. */
    ScriptedSession last() {
        return sessions.isEmpty() ? null : sessions.get(sessions.size() - 1);
    }

    /** The session that made {@code local} (its offer or its answer); null if none did. */
    ScriptedSession made(org.p2pchat.core.SessionDescription local) {
        return sessions.stream().filter(s -> local.equals(s.offer) || local.equals(s.answer)).findFirst().orElse(null);
    }

    @Override
    public CompletableFuture<HealthStatus> checkIceServer(IceServer server) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException());
    }
}
