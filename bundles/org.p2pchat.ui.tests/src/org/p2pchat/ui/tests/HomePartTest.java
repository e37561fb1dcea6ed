package org.p2pchat.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.Text;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.ServiceRegistration;
import org.p2pchat.core.settings.SettingsStore;
import org.p2pchat.core.signaling.ConnectionProvider;
import org.p2pchat.core.signaling.ProviderCapability;
import org.p2pchat.core.signaling.ProviderContext;
import org.p2pchat.core.signaling.ProviderLink;
import org.p2pchat.core.signaling.ProviderStatus;
import org.p2pchat.ui.internal.parts.ClientPart;

/**
 * The start page (the Connect view of the client part) in a plain shell, with services
 * registered by the test: it shows the username, saves it when edited, and follows
 * the connection providers the client layer has as they come and go (ConnectionProvider services).
 */
class HomePartTest {

    /** Only reached when what a wait waits for never happens (a busy machine is slow, not broken). */
    private static final long SECONDS = 60;

    private PartHarness harness;

    @BeforeEach
    void createShell() {
        harness = new PartHarness("HomePartTest");
    }

    @AfterEach
    void dispose() {
        harness.close();
    }

    @Test
    void showsUsernameAndFollowsConnectionMethods() throws Exception {
        PartHarness.MemorySettings settings = new PartHarness.MemorySettings("alice", Path.of("/nonexistent/profile"));
        harness.register(SettingsStore.class, settings);
        harness.make(ClientPart.class, 900, 700);
        Table methods = PartHarness.find(harness.shell, Table.class).get(0);
        Text username = harness.byId(Text.class, "connect.username");

        assertEquals("alice", username.getText(), "username shown");
        int installed = methods.getItemCount(); // the manual exchange of the test runtime, if started

        ServiceRegistration<ConnectionProvider> late = harness.register(ConnectionProvider.class,
                new Method("test", "Carrier pigeon", "Ties the offer to a bird."));
        harness.waitUntil(() -> methods.getItemCount() == installed + 1, SECONDS, "the method registered later is listed");
        assertEquals("Carrier pigeon", methods.getItem(0).getText(), "highest ranking first");
        methods.select(0);
        methods.notifyListeners(org.eclipse.swt.SWT.Selection, new org.eclipse.swt.widgets.Event());
        assertTrue(texts().contains("Ties the offer to a bird."), "its description is shown: " + texts());
        String ready = installed == 0 ? "Ready. 1 connection method available."
                : "Ready. " + (installed + 1) + " connection methods available.";
        // The status line may go on to say whether people can reach us through a directory.
        assertTrue(texts().stream().anyMatch(t -> t.startsWith(ready)), "status: " + texts());

        harness.unregister(late);
        harness.waitUntil(() -> methods.getItemCount() == installed, SECONDS, "the unregistered method is gone");

        username.setText("alice2");
        username.notifyListeners(org.eclipse.swt.SWT.DefaultSelection, new org.eclipse.swt.widgets.Event());
        harness.waitUntil(() -> settings.get().username().equals("alice2"), SECONDS, "the edited name is saved");
        harness.waitUntil(() -> "Saved.".equals(harness.byId(Label.class, "connect.username.status").getText()), SECONDS,
                "saving is confirmed");
    }

    private List<String> texts() {
        return PartHarness.find(harness.shell, Label.class).stream().map(Label::getText).toList();
    }

    /** A provider that can do nothing the desktop shows: it is listed all the same. */
    private record Method(String id, String displayName, String description) implements ConnectionProvider {

        @Override
        public Set<ProviderCapability> capabilities() {
            return Set.of();
        }

        @Override
        public ProviderLink start(ProviderContext context) {
            return new ProviderLink() {
                @Override
                public List<ProviderStatus> status() {
                    return List.of();
                }

                @Override
                public void close() {
                }
            };
        }
    }
}
