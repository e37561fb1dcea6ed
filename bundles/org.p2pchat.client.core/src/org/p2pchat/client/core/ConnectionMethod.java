package org.p2pchat.client.core;

import java.util.List;
import java.util.Objects;
import java.util.Set;

import org.p2pchat.core.signaling.ProviderAction;
import org.p2pchat.core.signaling.ProviderCapability;
import org.p2pchat.core.signaling.ProviderStatus;

/**
 * A way to connect as a view shows it: one registered connection provider.
 *
 * @param id           the provider's id ({@code --method ID})
 * @param displayName  its name for a person
 * @param description  its help paragraph
 * @param capabilities what it can do
 * @param online       whether the client is online with it ({@link ChatClient#goOnline})
 * @param status       its standing per place, once online
 * @param actions      what a person can do now to help it ({@link ChatClient#perform}), once online
 */
public record ConnectionMethod(String id, String displayName, String description, Set<ProviderCapability> capabilities,
        boolean online, List<ProviderStatus> status, List<ProviderAction> actions) {

    public ConnectionMethod {
        Objects.requireNonNull(id, "id");
        capabilities = Set.copyOf(capabilities);
        status = List.copyOf(status);
        actions = actions == null ? List.of() : List.copyOf(actions);
    }

    /** A method that offers no actions. */
    public ConnectionMethod(String id, String displayName, String description, Set<ProviderCapability> capabilities,
            boolean online, List<ProviderStatus> status) {
        this(id, displayName, description, capabilities, online, status, List.of());
    }

    public boolean can(ProviderCapability capability) {
        return capabilities.contains(capability);
    }
}
