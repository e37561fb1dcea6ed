package org.p2pchat.core.signaling;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A way to connect to a peer, registered as an OSGi service. Clients list every registered
 * provider as a connection method; a plug-in that registers one adds a method without changes
 * elsewhere.
 */
@ConsumerType
public interface SignalingProvider {

    /** Stable identifier, e.g. {@code manual}; used in settings and on the command line. */
    String id();

    /** Short name for a person, e.g. "Manual exchange". */
    String displayName();

    /** A paragraph of help: how this method works and what it reveals to whom. */
    String description();
}
