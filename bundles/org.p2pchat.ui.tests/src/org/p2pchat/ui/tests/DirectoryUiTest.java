package org.p2pchat.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.StyledText;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.Text;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.p2pchat.core.ChatMessage;
import org.p2pchat.core.ConnectionState;
import org.p2pchat.core.identity.Contact;
import org.p2pchat.core.identity.IdentityService;
import org.p2pchat.core.identity.PublicIdentity;
import org.p2pchat.core.internal.identity.Ed25519IdentityService;
import org.p2pchat.core.settings.ServiceEntry;
import org.p2pchat.signaling.dht.DhtSettings;
import org.p2pchat.core.settings.SettingsStore;
import org.p2pchat.core.signaling.DirectoryConnection;
import org.p2pchat.core.signaling.DirectoryPeer;
import org.p2pchat.core.signaling.ServiceStatus;
import org.p2pchat.core.signaling.SignalingProvider;
import org.p2pchat.ui.internal.parts.ClientPart;

/**
 * The directory connection method and what follows from it, over a directory and sessions the
 * test scripts (no network): the panel joins with the settings, shows services and people,
 * connects and accepts; the chat shows who the peer is (verified key, safety number, a loud
 * warning for a known name with a new key, or unverified) and reconnects after a failure.
 */
class DirectoryUiTest {

    /** Only reached when what a wait waits for never happens (a busy machine is slow, not broken). */
    private static final long SECONDS = 60;

    private PartHarness harness;
    private PartHarness.MemorySettings settings;
    private IdentityService ours;
    private IdentityService bob;
    private ScriptedDirectory directory;
    private ClientPart part;

    @BeforeEach
    void open(@TempDir Path dir) throws Exception {
        harness = new PartHarness("DirectoryUiTest");
        settings = new PartHarness.MemorySettings("desk", dir.resolve("desk"));
        settings.section(DhtSettings.SECTION).write(new DhtSettings(List.of(
                new ServiceEntry("Test service", ScriptedDirectory.SERVICE.toString(), true, false),
                new ServiceEntry("Switched off", "http://192.0.2.1:3480", false, false),
                new ServiceEntry("Not a URL", "rendezvous example", true, false))));
        harness.register(SettingsStore.class, settings);
        ours = new Ed25519IdentityService(dir.resolve("desk"));
        bob = new Ed25519IdentityService(dir.resolve("bob"));
        harness.register(IdentityService.class, ours);
        directory = new ScriptedDirectory();
        harness.register(SignalingProvider.class, directory);
        part = harness.make(ClientPart.class, 900, 760);
    }

    @AfterEach
    void close() {
        harness.close();
    }

    @Test
    void joinsWithTheSettingsShowsServicesAndPeopleAndJoinsAgainWhenUnlisted() throws Exception {
        assertEquals(ours.self().fingerprint(), harness.byId(Label.class, "connect.fingerprint").getText(),
                "the Connect view shows our key's fingerprint");
        assertTrue(directory.joins.isEmpty(), "nothing is joined before the user chooses the directory");
        harness.chooseMethod("Test directory");
        ScriptedDirectory.Membership membership = joined();
        assertEquals(List.of(ScriptedDirectory.SERVICE), membership.options.services(),
                "only enabled, valid services are joined");
        assertEquals("desk", membership.options.displayName());
        assertTrue(membership.options.listed(), "listed by default");
        assertTrue(harness.byId(Button.class, "directory.listed").getSelection());

        membership.listed = List.of(ScriptedDirectory.peer("bob", bob.self()),
                new DirectoryPeer("user-1764100000000-carol", "carol", ScriptedDirectory.SERVICE, false, null));
        membership.report(ServiceStatus.State.REGISTERED, "legacy", "user-1764100000001-desk", null);
        harness.waitUntil(() -> serviceLine().contains("registered as user-1764100000001-desk via the legacy API"),
                SECONDS, "the service's state");
        Table people = harness.byId(Table.class, "directory.peers");
        harness.waitUntil(() -> people.getItemCount() == 2, SECONDS, "the people listed appear once registered");
        assertEquals("bob", people.getItem(0).getText(0));
        assertEquals(bob.self().fingerprint().substring(0, 19), people.getItem(0).getText(1),
                "a key id is shown by its fingerprint");
        assertEquals("192.0.2.1:3479", people.getItem(0).getText(2));
        assertEquals("user-1764100000000-carol", people.getItem(1).getText(1));
        assertTrue(harness.byId(Label.class, "directory.peers.status").getText().startsWith("2 people online"));
        System.out.println("screenshot: " + harness.screenshot("directory-panel"));

        membership.report(ServiceStatus.State.UNREACHABLE, "legacy", null, "connection refused");
        harness.waitUntil(() -> serviceLine().contains("unreachable (connection refused); retrying"), SECONDS,
                "an unreachable service says so");

        Button listed = harness.byId(Button.class, "directory.listed");
        listed.setSelection(false);
        PartHarness.click(listed);
        ScriptedDirectory.Membership unlisted = joined();
        assertFalse(unlisted.options.listed(), "joined again, unlisted");
        waitClosed(membership); // the first membership was left

        harness.chooseMethod("Manual exchange");
        waitClosed(unlisted); // choosing another method leaves the directory
    }

    /**
     * "Copy my id" puts our id on the service on the clipboard; an id pasted into "Connect by id"
     * connects to that peer: an unlisted one through the service with our authenticated API, a
     * listed one as listed.
     */
    @Test
    void copyMyIdPutsOurIdOnTheClipboardAndAPastedIdConnects() throws Exception {
        ScriptedDirectory.Membership membership = registeredWithBobListed();
        harness.setClipboardText("something else");
        PartHarness.click(harness.byId(Button.class, "directory.copyId"));
        assertEquals(ours.self().key(), harness.clipboardText(), "the clipboard holds our id on the service");

        Text peerId = harness.byId(Text.class, "directory.peerId");
        Label status = harness.byId(Label.class, "directory.status");
        PartHarness.click(harness.byId(Button.class, "directory.connectById"));
        assertTrue(status.getText().startsWith("Paste your peer's id first"), "an empty id is explained: " + status.getText());

        // Carol is not listed; she sent her id, copied with blanks around it.
        IdentityService carol = new Ed25519IdentityService(Files.createTempDirectory("p2pchat-carol"));
        harness.setClipboardText("  " + carol.self().key() + " \n");
        peerId.setFocus();
        peerId.paste();
        harness.waitUntil(() -> peerId.getText().contains(carol.self().key()), SECONDS, "the id is pasted: " + peerId.getText());
        PartHarness.click(harness.byId(Button.class, "directory.connectById"));
        ScriptedDirectory.Negotiation toCarol = next(membership);
        assertEquals(carol.self().key(), toCarol.peer.id(), "the pasted id, without the blanks");
        assertTrue(toCarol.peer.authenticated(), "an unlisted peer is reached by key on the authenticated API");
        assertEquals(ScriptedDirectory.SERVICE, toCarol.peer.service());
        assertTrue(status.getText().startsWith("Asking " + carol.self().fingerprint().substring(0, 19)),
                "carol registered no name: her key's fingerprint stands for her: " + status.getText());
        toCarol.fail("carol is not online");
        harness.waitUntil(() -> status.getText().contains("carol is not online"), SECONDS, "the failure: " + status.getText());

        // Bob's id, pasted and sent with Enter, reaches bob as listed.
        peerId.setText(bob.self().key());
        peerId.notifyListeners(SWT.DefaultSelection, new Event());
        ScriptedDirectory.Negotiation toBob = next(membership);
        assertEquals(membership.listed.get(0), toBob.peer, "the listed bob, with his name");
        toBob.succeed(Optional.of(bob.self()));
        connected(toBob.session, "bob");
    }

    @Test
    void connectingToAVerifiedPeerShowsItsKeyAndTheSafetyNumber() throws Exception {
        ScriptedDirectory.Membership membership = registeredWithBobListed();
        Table people = harness.byId(Table.class, "directory.peers");
        people.setSelection(0);
        people.notifyListeners(SWT.Selection, new Event());
        PartHarness.click(harness.byId(Button.class, "directory.connect"));
        ScriptedDirectory.Negotiation negotiation = next(membership);
        assertEquals(bob.self().key(), negotiation.peer.id());
        assertNull(negotiation.previous, "a first connection");
        assertTrue(harness.byId(Label.class, "directory.status").getText().contains("Asking bob to connect"));

        DirectoryConnection connection = negotiation.succeed(Optional.of(bob.self()));
        connected(negotiation.session, "bob");
        Label identity = harness.byId(Label.class, "chat.identity");
        harness.waitUntil(() -> identity.getText().contains(bob.self().fingerprint()), SECONDS,
                "the chat shows the peer's verified key: " + identity.getText());
        assertTrue(identity.getText().startsWith("\u2714 Verified"), identity.getText());
        StyledText messages = harness.byId(StyledText.class, "chat.messages");
        harness.waitUntil(() -> messages.getText().contains("bob is a new contact"), SECONDS,
                "a first meeting is a quiet line: " + messages.getText());
        assertEquals(1, ours.contacts().size(), "bob is remembered");
        assertFalse(harness.byId(Composite.class, "chat.keyChanged").isVisible(), "no warning for a new contact");

        int joinedAt = messages.getText().indexOf("bob joined the chat");
        harness.waitUntil(() -> messages.getLocationAtOffset(joinedAt).x > messages.getClientArea().width / 4, SECONDS,
                "notices stay centred when the identity row appears above the messages");
        PartHarness.click(harness.byId(Button.class, "chat.safetyNumber"));
        Label number = harness.waitFor(() -> shownSafetyNumber(), SECONDS, "the safety number dialog opens");
        String expected = ours.safetyNumber(bob.self(), connection.local().description(), connection.remote().description());
        assertEquals(expected, number.getText());
        assertEquals(bob.safetyNumber(ours.self(), connection.remote().description(), connection.local().description()),
                number.getText(), "bob's side derives the same number");
        System.out.println("screenshot: " + harness.screenshot(number.getShell(), "safety-number"));
        number.getShell().close();
        System.out.println("screenshot: " + harness.screenshot("chat-verified"));
    }

    @Test
    void aKnownNameWithAnotherKeyRaisesARedWarning() throws Exception {
        IdentityService earlierBob = new Ed25519IdentityService(Files.createTempDirectory("p2pchat-earlier-bob"));
        assertEquals(Contact.Status.NEW, ours.meet("bob", earlierBob.self()), "bob was met before, with another key");
        ScriptedDirectory.Membership membership = registeredWithBobListed();
        ScriptedDirectory.Request request = membership.request(ScriptedDirectory.peer("bob", bob.self()),
                Optional.of(bob.self()), false);
        Label requestIdentity = harness.waitFor(() -> PartHarness.findById(harness.shell, Label.class, "request.identity"),
                SECONDS, "the request is shown");
        assertTrue(requestIdentity.getText().contains("NOT the one you know"), "the request warns already: "
                + requestIdentity.getText());

        PartHarness.click(harness.byId(Button.class, "request.accept"));
        connected(harness.await(request.accepted, SECONDS, "the client accepts"), Optional.of(bob.self()), "bob");
        Composite banner = harness.byId(Composite.class, "chat.keyChanged");
        harness.waitUntil(banner::isVisible, SECONDS, "a changed key raises the banner");
        assertTrue(harness.byId(Label.class, "chat.keyChanged.text").getText().contains("CHANGED"));
        assertEquals(harness.display.getSystemColor(SWT.COLOR_WHITE).getRGB(),
                harness.byId(Label.class, "chat.keyChanged.text").getForeground().getRGB());
        assertTrue(harness.byId(StyledText.class, "chat.messages").getText().contains("identity key has CHANGED"),
                "and the conversation keeps it");
        System.out.println("screenshot: " + harness.screenshot("chat-key-changed"));
    }

    @Test
    void aPeerWithoutProofIsShownUnverifiedAndRequestsCanBeRejected() throws Exception {
        ScriptedDirectory.Membership membership = registeredWithBobListed();
        DirectoryPeer webApp = new DirectoryPeer("user-1764100000002-webby", "webby", ScriptedDirectory.SERVICE, false, null);
        ScriptedDirectory.Request rejected = membership.request(ScriptedDirectory.peer("bob", bob.self()),
                Optional.of(bob.self()), false);
        ScriptedDirectory.Request accepted = membership.request(webApp, Optional.empty(), false);
        harness.waitUntil(() -> PartHarness.find(harness.byId(Composite.class, "requests"), Button.class).size() == 4,
                SECONDS, "both requests are shown");
        assertTrue(harness.byId(Label.class, "request.text").getText().startsWith("bob asks to connect"));
        System.out.println("screenshot: " + harness.screenshot("directory-requests"));

        PartHarness.click(harness.byId(Button.class, "request.reject"));
        harness.waitUntil(() -> rejected.rejected, SECONDS, "the rejection is sent");
        Label left = harness.byId(Label.class, "request.identity");
        assertTrue(left.getText().startsWith("\u26a0 Unverified"), "webby proves no identity: " + left.getText());
        PartHarness.click(harness.byId(Button.class, "request.accept"));
        connected(harness.await(accepted.accepted, SECONDS, "the client accepts"), Optional.empty(), "webby");
        Label identity = harness.byId(Label.class, "chat.identity");
        harness.waitUntil(() -> identity.getText().startsWith("\u26a0 Unverified"), SECONDS, identity.getText());
        assertFalse(harness.byId(Button.class, "chat.safetyNumber").isVisible(), "no safety number without a key");
        assertTrue(ours.contacts().isEmpty(), "an unverified peer is not remembered");
        assertFalse(harness.byId(Composite.class, "requests").isVisible(), "no request is left");
    }

    @Test
    void theSideThatConnectedReconnectsAfterAFailureAndKeepsTheConversation() throws Exception {
        ScriptedDirectory.Membership membership = registeredWithBobListed();
        Table people = harness.byId(Table.class, "directory.peers");
        people.setSelection(0);
        people.notifyListeners(SWT.DefaultSelection, new Event()); // a double-click
        ScriptedDirectory.Negotiation first = next(membership);
        DirectoryConnection connection = first.succeed(Optional.of(bob.self()));
        connected(first.session, "bob");
        fire(first.session, ChatMessage.create("bob", "before the failure"));

        first.session.fire(ConnectionState.FAILED);
        Label banner = harness.byId(Label.class, "chat.ended.text");
        harness.waitUntil(() -> banner.getText().equals("Connection lost \u2014 reconnecting (attempt 1 of 5)\u2026"),
                SECONDS, "the attempt is shown: " + banner.getText());
        assertFalse(harness.byId(Button.class, "chat.newConnection").isVisible(), "nothing to do while it reconnects");
        System.out.println("screenshot: " + harness.screenshot("chat-reconnecting"));
        ScriptedDirectory.Negotiation attempt1 = next(membership);
        assertEquals(connection, attempt1.previous, "a reconnection of the lost connection");
        attempt1.fail("bob did not answer");
        ScriptedDirectory.Negotiation attempt2 = next(membership);
        assertTrue(harness.byId(StyledText.class, "chat.messages").getText()
                .contains("Reconnection attempt 1 failed: bob did not answer"));
        harness.waitUntil(() -> banner.getText().contains("attempt 2 of 5"), SECONDS, banner.getText());

        attempt2.succeed(Optional.of(bob.self()));
        attempt2.session.fire(ConnectionState.CONNECTED);
        StyledText messages = harness.byId(StyledText.class, "chat.messages");
        harness.waitUntil(() -> messages.getText().contains("Reconnected."), SECONDS, "reconnected: " + messages.getText());
        assertTrue(messages.getText().contains("before the failure"), "the conversation is kept");
        assertFalse(banner.isVisible(), "the banner is gone");
        assertEquals(attempt2.session, part.session());
        Text input = harness.byId(Text.class, "chat.input");
        input.setText("after the reconnection");
        PartHarness.key(input, SWT.CR, '\r', 0);
        assertEquals("after the reconnection", attempt2.session.sent.get(0).content(), "sent over the new session");
        assertTrue(first.session.state().isFinal(), "the lost session is closed");
        System.out.println("screenshot: " + harness.screenshot("chat-reconnected"));
    }

    @Test
    void reconnectingGivesUpAfterFiveAttemptsAndOffersTheWayBack() throws Exception {
        ScriptedDirectory.Membership membership = registeredWithBobListed();
        Table people = harness.byId(Table.class, "directory.peers");
        people.setSelection(0);
        PartHarness.click(harness.byId(Button.class, "directory.connect"));
        ScriptedDirectory.Negotiation first = next(membership);
        first.succeed(Optional.of(bob.self()));
        connected(first.session, "bob");
        first.session.fire(ConnectionState.FAILED);
        for (int n = 1; n <= 5; n++) {
            next(membership).fail("no answer " + n);
        }
        Label banner = harness.byId(Label.class, "chat.ended.text");
        harness.waitUntil(() -> banner.getText().startsWith("Could not reconnect to bob (no answer 5)"), SECONDS,
                "the final failure: " + banner.getText());
        Button back = harness.byId(Button.class, "chat.newConnection");
        assertTrue(back.isVisible(), "the way back to Connect");
        System.out.println("screenshot: " + harness.screenshot("chat-reconnect-failed"));
        PartHarness.click(back);
        assertFalse(part.isChatShown(), "back on the Connect view");
        assertTrue(membership.negotiations.isEmpty(), "no sixth attempt");
    }

    @Test
    void theSideThatAcceptedTakesItsPeersReconnectRequestWithoutAsking() throws Exception {
        ScriptedDirectory.Membership membership = registeredWithBobListed();
        DirectoryPeer bobPeer = ScriptedDirectory.peer("bob", bob.self());
        ScriptedDirectory.Request request = membership.request(bobPeer, Optional.of(bob.self()), false);
        harness.waitUntil(() -> PartHarness.findById(harness.shell, Button.class, "request.accept") != null, SECONDS,
                "the request is shown");
        PartHarness.click(harness.byId(Button.class, "request.accept"));
        ScriptedDirectory.Negotiation first = harness.await(request.accepted, SECONDS, "the client accepts");
        connected(first, Optional.of(bob.self()), "bob");

        first.session.fire(ConnectionState.FAILED);
        Label banner = harness.byId(Label.class, "chat.ended.text");
        harness.waitUntil(() -> banner.getText().contains("waiting for bob to reconnect"), SECONDS, banner.getText());
        // Its peer: the id, the service and API of this chat, and a proof of the key verified in it.
        ScriptedDirectory.Request again = membership.request(bobPeer, Optional.of(bob.self()), true);
        ScriptedDirectory.Negotiation second = harness.await(again.accepted, SECONDS, "accepted without asking");
        assertNull(PartHarness.findById(harness.shell, Button.class, "request.accept"), "no question to the user");
        second.succeed(Optional.of(bob.self()));
        second.session.fire(ConnectionState.CONNECTED);
        StyledText messages = harness.byId(StyledText.class, "chat.messages");
        harness.waitUntil(() -> messages.getText().contains("Reconnected."), SECONDS, messages.getText());
        assertEquals(second.session, part.session());
        Label identity = harness.byId(Label.class, "chat.identity");
        harness.waitUntil(() -> identity.getText().startsWith("\u2714 Verified identity \u00b7 key " + bob.self().fingerprint()),
                SECONDS, "the chat goes on with bob's verified key: " + identity.getText());
        assertFalse(harness.byId(Composite.class, "chat.keyChanged").isVisible(), "and no warning");

        // Someone else asking to "reconnect" is a question for the user, not an automatic yes.
        IdentityService mallory = new Ed25519IdentityService(Files.createTempDirectory("p2pchat-mallory"));
        ScriptedDirectory.Request other = membership.request(ScriptedDirectory.peer("mallory", mallory.self()),
                Optional.of(mallory.self()), true);
        harness.waitUntil(() -> PartHarness.findById(harness.shell, Button.class, "request.accept") != null, SECONDS,
                "mallory's request is shown");
        assertFalse(other.accepted.isDone());
    }

    /** Requests that say "reconnect" under the chat peer's id but are not that peer in that chat. */
    enum Impostor {
        /** Bob's id on the same service and API, with no proof (anyone can send that). */
        NO_PROOF("\u26a0 Unverified: bob is a contact who proved their identity before; this request proves none"),
        /** Bob's id on the same service and API, proving another key. */
        ANOTHER_KEY("\u26a0 This request's key "),
        /** Bob's id on the web app's (legacy) API of the same service, proving nothing, as that API does. */
        LEGACY_API_NO_PROOF("\u26a0 Unverified: bob is a contact who proved their identity before; this request proves none"),
        /** Bob's id and a proof of his key, but on the web app's API: not the way this chat was made. */
        LEGACY_API_WITH_PROOF("\u2714 Verified identity \u00b7 key "),
        /** Bob's id and a proof of his key, but through another service. */
        ANOTHER_SERVICE("\u2714 Verified identity \u00b7 key ");

        /** How the request bar's identity line starts. */
        final String told;

        Impostor(String told) {
            this.told = told;
        }
    }

    /**
     * While the accepting side waits for its peer to reconnect, a "reconnect" under the peer's id
     * that does not continue this chat (no proof, another key's proof, another API, another
     * service) is shown as a request for the user to answer, saying who asks: a warning when it
     * proves no key or another key than bob's. The conversation is not handed to it and keeps
     * waiting, and bob's own reconnect is still taken without asking afterwards.
     */
    @ParameterizedTest
    @EnumSource(Impostor.class)
    void aReconnectUnderThePeersIdThatDoesNotContinueTheChatIsAQuestionAndTheChatKeepsWaiting(Impostor impostor)
            throws Exception {
        ScriptedDirectory.Membership membership = registeredWithBobListed();
        DirectoryPeer bobPeer = ScriptedDirectory.peer("bob", bob.self());
        ScriptedDirectory.Request request = membership.request(bobPeer, Optional.of(bob.self()), false);
        harness.waitUntil(() -> PartHarness.findById(harness.shell, Button.class, "request.accept") != null, SECONDS,
                "the request is shown");
        PartHarness.click(harness.byId(Button.class, "request.accept"));
        ScriptedDirectory.Negotiation first = harness.await(request.accepted, SECONDS, "the client accepts");
        connected(first, Optional.of(bob.self()), "bob");
        StyledText messages = harness.byId(StyledText.class, "chat.messages");
        harness.waitUntil(() -> messages.getText().contains("bob is a new contact"), SECONDS, "bob is remembered");
        first.session.fire(ConnectionState.FAILED);
        Label banner = harness.byId(Label.class, "chat.ended.text");
        harness.waitUntil(() -> banner.getText().contains("waiting for bob to reconnect"), SECONDS, banner.getText());

        IdentityService mallory = new Ed25519IdentityService(Files.createTempDirectory("p2pchat-mallory"));
        URI otherService = URI.create("http://192.0.2.2:3479");
        Instant now = Instant.now();
        String bobId = bob.self().key();
        ScriptedDirectory.Request forged = switch (impostor) {
            case NO_PROOF -> membership.request(bobPeer, Optional.empty(), true);
            case ANOTHER_KEY -> membership.request(bobPeer, Optional.of(mallory.self()), true);
            case LEGACY_API_NO_PROOF -> membership.request(new DirectoryPeer(bobId, "bob", ScriptedDirectory.SERVICE, false, now),
                    Optional.empty(), true);
            case LEGACY_API_WITH_PROOF -> membership.request(
                    new DirectoryPeer(bobId, "bob", ScriptedDirectory.SERVICE, false, now), Optional.of(bob.self()), true);
            case ANOTHER_SERVICE -> membership.request(new DirectoryPeer(bobId, "bob", otherService, true, now),
                    Optional.of(bob.self()), true);
        };
        harness.waitUntil(() -> forged.accepted.isDone()
                || PartHarness.findById(harness.shell, Label.class, "request.identity") != null, SECONDS,
                "the client takes the reconnect or shows it");
        assertFalse(forged.accepted.isDone(), "the conversation is handed to a reconnect that does not continue it");
        Label told = harness.byId(Label.class, "request.identity");
        assertTrue(told.getText().startsWith(impostor.told), "the user is told who asks: " + told.getText());
        if (impostor == Impostor.ANOTHER_KEY) {
            assertTrue(told.getText().contains(mallory.self().fingerprint()) && told.getText().contains("NOT the one you know"),
                    told.getText());
        } else if (impostor.told.startsWith("\u2714")) {
            assertTrue(told.getText().contains(bob.self().fingerprint()), told.getText());
        }
        assertTrue(harness.byId(Label.class, "request.text").getText().startsWith("bob asks to connect again"));
        System.out.println("screenshot: " + harness.screenshot("impostor-reconnect-" + impostor.name().toLowerCase()));

        // The client takes a reconnect or shows it in one step: shown, it was not taken.
        assertFalse(forged.accepted.isDone(), "not accepted without asking");
        assertEquals(first.session, part.session(), "the conversation stays with its own session");
        assertTrue(banner.getText().contains("waiting for bob to reconnect"), "the chat keeps waiting: " + banner.getText());
        assertFalse(messages.getText().contains("Reconnected."));

        PartHarness.click(harness.byId(Button.class, "request.reject"));
        harness.waitUntil(() -> forged.rejected, SECONDS, "the user's no is sent");
        ScriptedDirectory.Request genuine = membership.request(bobPeer, Optional.of(bob.self()), true);
        ScriptedDirectory.Negotiation second = harness.await(genuine.accepted, SECONDS, "bob's own reconnect is taken");
        second.succeed(Optional.of(bob.self()));
        second.session.fire(ConnectionState.CONNECTED);
        harness.waitUntil(() -> messages.getText().contains("Reconnected."), SECONDS, messages.getText());
        assertEquals(second.session, part.session());
    }

    @Test
    void aReconnectFromTheChatPeersIdWithoutItsProofIsAQuestionAndTheChatGoesOn() throws Exception {
        ScriptedDirectory.Membership membership = registeredWithBobListed();
        DirectoryPeer bobPeer = ScriptedDirectory.peer("bob", bob.self());
        ScriptedDirectory.Request request = membership.request(bobPeer, Optional.of(bob.self()), false);
        harness.waitUntil(() -> PartHarness.findById(harness.shell, Button.class, "request.accept") != null, SECONDS,
                "the request is shown");
        PartHarness.click(harness.byId(Button.class, "request.accept"));
        ScriptedDirectory.Negotiation first = harness.await(request.accepted, SECONDS, "the client accepts");
        connected(first, Optional.of(bob.self()), "bob");

        // "From" bob's key on the web app's API of the same service, proving nothing (anyone can post that).
        DirectoryPeer forgedBob = new DirectoryPeer(bob.self().key(), "bob", ScriptedDirectory.SERVICE, false,
                java.time.Instant.now());
        ScriptedDirectory.Request forged = membership.request(forgedBob, Optional.empty(), true);
        harness.waitUntil(() -> PartHarness.findById(harness.shell, Button.class, "request.accept") != null, SECONDS,
                "the forged reconnect is shown as a request");
        assertFalse(forged.accepted.isDone(), "not accepted without asking");
        assertEquals(first.session, part.session(), "the chat with bob goes on");
        assertTrue(part.isChatShown());
        Label identity = harness.byId(Label.class, "request.identity");
        assertTrue(identity.getText().startsWith("\u26a0 Unverified: bob is a contact who proved their identity "
                + "before; this request proves none"), identity.getText());
        System.out.println("screenshot: " + harness.screenshot("forged-reconnect-request"));
    }

    @Test
    void aRequestWhileTheWindowIsInTheBackgroundCountsInTheTitle() throws Exception {
        ScriptedDirectory.Membership membership = registeredWithBobListed();
        Shell other = new Shell(harness.display);
        try {
            other.setSize(200, 100);
            other.open();
            other.forceActive();
            harness.waitUntil(() -> harness.display.getActiveShell() != harness.shell, SECONDS, "another window is active");
            membership.request(ScriptedDirectory.peer("bob", bob.self()), Optional.of(bob.self()), false);
            harness.waitUntil(() -> part.unreadCount() == 1, SECONDS, "the request is announced");
            assertEquals("(1) P2P Chat", harness.shell.getText());
        } finally {
            other.dispose();
        }
    }

    // ---- steps ---------------------------------------------------------------------------------

    /** Chooses the directory, registers on it and waits for bob in the list. */
    private ScriptedDirectory.Membership registeredWithBobListed() throws Exception {
        harness.chooseMethod("Test directory");
        ScriptedDirectory.Membership membership = joined();
        membership.listed = List.of(ScriptedDirectory.peer("bob", bob.self()));
        membership.report(ServiceStatus.State.REGISTERED, "authenticated", ours.self().key(), null);
        Table people = harness.byId(Table.class, "directory.peers");
        harness.waitUntil(() -> people.getItemCount() == 1, SECONDS, "bob is listed");
        return membership;
    }

    private ScriptedDirectory.Membership joined() throws Exception {
        return harness.await(CompletableFuture.supplyAsync(() -> {
            try {
                return directory.joins.poll(SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }), SECONDS + 5, "the directory is joined");
    }

    private void waitClosed(ScriptedDirectory.Membership membership) {
        harness.waitUntil(() -> membership.closed, SECONDS, "the membership is closed");
    }

    private ScriptedDirectory.Negotiation next(ScriptedDirectory.Membership membership) throws Exception {
        ScriptedDirectory.Negotiation n = harness.await(CompletableFuture.supplyAsync(() -> {
            try {
                return membership.negotiations.poll(SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }), SECONDS + 5, "the client negotiates");
        assertNotNull(n, "no negotiation within " + SECONDS + " s");
        return n;
    }

    private void connected(ScriptedDirectory.Negotiation accepted, Optional<PublicIdentity> identity, String peerName) {
        accepted.succeed(identity);
        connected(accepted.session, peerName);
    }

    /**
     * The session connects and the peer's join notice arrives, as the transport reports them; the
     * chat opens and learns who the peer is.
     */
    private void connected(ScriptedSession session, String peerName) {
        session.fire(ConnectionState.CONNECTED);
        fire(session, ChatMessage.joinNotice(peerName));
        harness.waitUntil(part::isChatShown, SECONDS, "the chat opens once connected");
        Label identity = harness.byId(Label.class, "chat.identity");
        harness.waitUntil(identity::isVisible, SECONDS, "the chat knows who the peer is");
    }

    private static void fire(ScriptedSession session, ChatMessage message) {
        session.listeners.forEach(l -> l.messageReceived(session, message));
    }

    /** The first service's line in the directory panel (the lines are made again on every change). */
    private String serviceLine() {
        return harness.byId(Label.class, "directory.service").getText();
    }

    /** The number in an open safety number dialog, if one is open. */
    private Label shownSafetyNumber() {
        for (Shell s : harness.display.getShells()) {
            Label found = PartHarness.findById(s, Label.class, "safety.number");
            if (found != null && s.isVisible()) {
                return found;
            }
        }
        return null;
    }
}
