package org.p2pchat.core.files;

import org.osgi.annotation.versioning.ConsumerType;

/** Told whenever a transfer changes; called on an engine thread, at most a few times a second per transfer. */
@ConsumerType
public interface TransferListener {

    void transferChanged(TransferStatus status);
}
