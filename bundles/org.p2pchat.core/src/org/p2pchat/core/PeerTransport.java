package org.p2pchat.core;

import java.util.concurrent.CompletableFuture;

import org.osgi.annotation.versioning.ProviderType;
import org.p2pchat.core.health.HealthStatus;

/** Creates peer sessions; registered as an OSGi service by a transport bundle. */
@ProviderType
public interface PeerTransport {

    /**
     * A new, not yet negotiated session.
     *
     * @throws SessionException if the transport cannot create one (native library missing, for example)
     */
    PeerSession createSession(SessionConfig config) throws SessionException;

    /**
     * Checks one STUN or TURN server the way a session would use it: gathers candidates through
     * that server alone and reports whether it gave a server-reflexive (STUN) or relayed (TURN)
     * address, or what went wrong, within a few seconds.
     */
    CompletableFuture<HealthStatus> checkIceServer(IceServer server);
}
