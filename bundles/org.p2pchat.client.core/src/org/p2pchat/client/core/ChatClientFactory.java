package org.p2pchat.client.core;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Opens chat clients on the running profile (its identity, contacts, settings, file transfers)
 * with every connection provider registered now or later; an OSGi service.
 */
@ProviderType
public interface ChatClientFactory {

    /**
     * A client for one view. It starts offline: {@link ChatClient#goOnline} registers with the
     * methods that keep us reachable.
     *
     * @throws IllegalStateException saying what is missing (no transport installed, say)
     */
    ChatClient open(ClientOptions options);
}
