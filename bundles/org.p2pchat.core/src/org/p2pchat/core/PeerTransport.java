package org.p2pchat.core;

import org.osgi.annotation.versioning.ProviderType;

/** Creates peer sessions; registered as an OSGi service by a transport bundle. */
@ProviderType
public interface PeerTransport {

    /**
     * A new, not yet negotiated session.
     *
     * @throws SessionException if the transport cannot create one (native library missing, for example)
     */
    PeerSession createSession(SessionConfig config) throws SessionException;
}
