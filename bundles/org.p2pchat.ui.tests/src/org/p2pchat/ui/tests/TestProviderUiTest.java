package org.p2pchat.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.StyledText;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.Text;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.ServiceReference;
import org.p2pchat.client.core.ClientEvent;
import org.p2pchat.client.core.Conversation;
import org.p2pchat.core.ConnectionState;
import org.p2pchat.core.PeerTransport;
import org.p2pchat.core.identity.IdentityService;
import org.p2pchat.core.signaling.ConnectionProvider;
import org.p2pchat.testing.NetworkIsolation;
import org.p2pchat.ui.internal.parts.ClientPart;

/**
 * A connection method the desktop client has never heard of: the test provider
 * ({@code org.p2pchat.testing.provider}, a folder mailbox, installed in this test runtime only)
 * is listed in the Connect view as every registered method is, and connects the desktop with a
 * second real client in the same framework (real transport, real client layer), with no line of
 * the desktop's code naming it.
 * <p>
 * Opens WebRTC connections: runs only inside the test network namespace, with no ICE servers.
 */
class TestProviderUiTest {

    private static final long SECONDS = 60;
    private static final String TEST_FOLDER = "test-folder";

    private PartHarness harness;
    private HeadlessPeer bob;
    private ClientPart part;
    private IdentityService desk;
    private String folderBefore;

    @BeforeAll
    static void network() {
        NetworkIsolation.requireIsolatedNetwork();
    }

    @BeforeEach
    void open(@TempDir Path dir) throws Exception {
        // Both clients read the folder from this property: their settings name none.
        folderBefore = System.setProperty("p2pchat.testing.folder", Files.createDirectories(dir.resolve("mailbox")).toString());
        harness = new PartHarness("TestProviderUiTest");
        PeerTransport transport = service(PeerTransport.class, null);
        ConnectionProvider folder = service(ConnectionProvider.class, "(component.name=*FolderMailbox*)");
        assertEquals(TEST_FOLDER, folder.id());
        // The desktop's client layer gets the registered providers, the test provider among them, as the framework's does.
        desk = harness.registerProfile("desk", dir.resolve("desk"));
        harness.clientLayer(transport, registered(ConnectionProvider.class).toArray(ConnectionProvider[]::new));
        bob = new HeadlessPeer("bob", dir.resolve("bob"), transport, folder);
        part = harness.make(ClientPart.class, 960, 800);
    }

    @AfterEach
    void close() throws Exception {
        if (bob != null) {
            bob.close();
        }
        harness.close();
        if (folderBefore == null) {
            System.clearProperty("p2pchat.testing.folder");
        } else {
            System.setProperty("p2pchat.testing.folder", folderBefore);
        }
    }

    @Test
    void theTestProviderIsListedAndConnectsTheDesktopWithAnotherClient() throws Exception {
        bob.client.goOnline(TEST_FOLDER);
        bob.await(harness, ClientEvent.MethodChanged.class, e -> e.method().id().equals(TEST_FOLDER)
                && e.method().status().stream().anyMatch(s -> s.state().name().equals("ONLINE")), SECONDS,
                "bob is in the folder");

        harness.chooseMethod("Test folder");
        harness.waitUntil(() -> harness.byId(Label.class, "directory.service").getText().contains("registered"), SECONDS,
                "the desktop is in the folder: " + harness.byId(Label.class, "directory.service").getText());
        Table people = harness.byId(Table.class, "directory.peers");
        harness.waitUntil(() -> Arrays.stream(people.getItems()).anyMatch(i -> i.getText(0).equals("bob")), SECONDS,
                "bob is listed");
        System.out.println("screenshot: " + harness.screenshot("test-provider-listed"));
        for (int i = 0; i < people.getItemCount(); i++) {
            if (people.getItem(i).getText(0).equals("bob")) {
                people.setSelection(i);
            }
        }
        people.notifyListeners(SWT.DefaultSelection, new Event()); // a double-click

        ClientEvent.RequestReceived asked = bob.await(harness, ClientEvent.RequestReceived.class, e -> true, SECONDS,
                "the desktop's request reaches bob");
        assertEquals(desk.self(), asked.request().identity().orElseThrow(),
                "the request proves the desktop's key");
        Conversation bobSide = bob.client.accept(asked.request());
        harness.waitUntil(part::isChatShown, SECONDS, "the chat opens");
        Label status = harness.byId(Label.class, "chat.status");
        harness.waitUntil(() -> status.getText().startsWith("\u25cf Connected to bob"), SECONDS, status.getText());
        Label identity = harness.byId(Label.class, "chat.identity");
        harness.waitUntil(() -> identity.getText().contains(bob.identity.self().fingerprint()), SECONDS,
                "the desktop verified bob's key: " + identity.getText());
        harness.waitUntil(() -> bobSide.connectionState() == ConnectionState.CONNECTED, SECONDS, "bob is connected");

        Text input = harness.byId(Text.class, "chat.input");
        input.setText("Hello bob, through a folder");
        PartHarness.key(input, SWT.CR, '\r', 0);
        ClientEvent.MessageReceived got = bob.await(harness, ClientEvent.MessageReceived.class,
                e -> !e.message().isSystemNotice(), SECONDS, "bob gets the message");
        assertEquals("Hello bob, through a folder", got.message().content());
        assertEquals("desk", got.message().sender());
        harness.await(bobSide.send("Hi desk"), SECONDS, "bob answers");
        StyledText messages = harness.byId(StyledText.class, "chat.messages");
        harness.waitUntil(() -> messages.getText().contains("Hi desk"), SECONDS, "the answer is shown: " + messages.getText());
        assertTrue(messages.getText().contains("bob joined the chat"), messages.getText());
        System.out.println("screenshot: " + harness.screenshot("test-provider-chat"));

        PartHarness.click(harness.byId(org.eclipse.swt.widgets.Button.class, "chat.disconnect"));
        bob.await(harness, ClientEvent.Ended.class, e -> true, SECONDS, "bob sees the desktop leave");
    }

    private <S> java.util.List<S> registered(Class<S> type) throws Exception {
        return harness.bundleContext.getServiceReferences(type, null).stream().map(harness.bundleContext::getService)
                .toList();
    }

    private <S> S service(Class<S> type, String filter) throws Exception {
        ServiceReference<S> reference = filter == null ? harness.bundleContext.getServiceReference(type)
                : harness.bundleContext.getServiceReferences(type, filter).stream().findFirst().orElse(null);
        assertTrue(reference != null, "no " + type.getSimpleName() + " service " + (filter == null ? "" : filter));
        return harness.bundleContext.getService(reference);
    }
}
