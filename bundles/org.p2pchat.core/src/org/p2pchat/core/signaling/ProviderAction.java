package org.p2pchat.core.signaling;

import java.util.Objects;

/**
 * Something a person can do from the client's window to help a provider work (start the relay
 * installed on this computer, say), offered beside the provider's standing; the client shows it
 * without knowing what it does, and {@link ProviderLink#perform} does it.
 *
 * @param id          stable within the provider, e.g. {@code startLocalRelay}
 * @param label       a button's text, e.g. "Start a local relay"
 * @param description a sentence or two for a person: what it does and for how long
 */
public record ProviderAction(String id, String label, String description) {

    public ProviderAction {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(label, "label");
        description = description == null ? "" : description;
    }
}
