package org.p2pchat.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
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
import org.p2pchat.core.PeerTransport;
import org.p2pchat.core.identity.Contact;
import org.p2pchat.core.identity.IdentityService;
import org.p2pchat.core.internal.identity.Ed25519IdentityService;
import org.p2pchat.core.signaling.ConnectionProvider;
import org.p2pchat.core.signaling.PeerAddress;
import org.p2pchat.core.signaling.ProviderStatus;
import org.p2pchat.core.signaling.SignedDescription;
import org.p2pchat.signaling.manual.internal.ManualSignalingProvider;
import org.p2pchat.ui.internal.parts.ClientPart;

/**
 * A connection method that lists peers and carries requests, and what follows from it, over a
 * provider and sessions the test scripts (no network) under the real client layer: the panel goes
 * online with the method, shows its standing and the people it lists, connects and accepts; the
 * chat shows who the peer is (verified key, safety number, a loud warning for a known name with a
 * new key, or unverified) and reconnects after a failure.
 */
class DirectoryUiTest {

    /** Only reached when what a wait waits for never happens (a busy machine is slow, not broken). */
    private static final long SECONDS = 60;

    /**
     * Where the test waits on a queue: a thread of its own, not the common pool, whose one worker on
     * a two-core machine would otherwise be the one the client layer's reconnect timers wait for.
     */
    private static final java.util.concurrent.Executor WAITER = r -> Thread.ofVirtual().start(r);

    private PartHarness harness;
    private IdentityService ours;
    private IdentityService bob;
    private ScriptedProvider directory;
    private ScriptedTransport transport;
    private ClientPart part;
    private org.p2pchat.history.MessageHistory history;

    @BeforeEach
    void open(@TempDir Path dir) throws Exception {
        harness = new PartHarness("DirectoryUiTest");
        ours = harness.registerProfile("desk", dir.resolve("desk"));
        bob = new Ed25519IdentityService(dir.resolve("bob"));
        transport = new ScriptedTransport();
        directory = new ScriptedProvider();
        history = PartHarness.inMemoryHistory();
        harness.clientLayer(transport, history, directory, new ManualSignalingProvider());
        part = harness.make(ClientPart.class, 900, 760);
    }

    @AfterEach
    void close() {
        harness.close();
    }

    @Test
    void isOnlineFromTheStartShowsItsStandingAndPeopleAndGoesOnlineAgainWhenUnlisted() throws Exception {
        assertEquals(ours.self().fingerprint(), harness.byId(Label.class, "connect.fingerprint").getText(),
                "the Connect view shows our key's fingerprint");
        harness.waitUntil(() -> directory.links.stream().anyMatch(l -> !l.closed), SECONDS,
                "online from the client's start, before the user chooses the directory (it has a place to be reached)");
        harness.chooseMethod("Test directory");
        ScriptedProvider.Link link = joined();
        assertEquals("desk", link.context.displayName());
        assertTrue(link.context.listed(), "listed by default");
        assertTrue(harness.byId(Button.class, "directory.listed").getSelection());

        link.listed = List.of(ScriptedProvider.peer("bob", bob.self()),
                ScriptedProvider.webApp("user-1764100000000-carol", "carol"));
        link.report(ProviderStatus.State.ONLINE, "user-1764100000001-desk", "legacy API");
        harness.waitUntil(() -> serviceLine().contains("registered as user-1764100000001-desk (legacy API)"),
                SECONDS, "the service's state: " + serviceLine());
        Table people = harness.byId(Table.class, "directory.peers");
        harness.waitUntil(() -> people.getItemCount() == 2, SECONDS, "the people listed appear once registered");
        assertEquals("bob", people.getItem(0).getText(0));
        assertEquals(bob.self().fingerprint().substring(0, 19), people.getItem(0).getText(1),
                "a key id is shown by its fingerprint");
        assertEquals(ScriptedProvider.SERVICE, people.getItem(0).getText(2));
        assertEquals("user-1764100000000-carol", people.getItem(1).getText(1));
        assertTrue(harness.byId(Label.class, "directory.peers.status").getText().startsWith("2 people online"));
        System.out.println("screenshot: " + harness.screenshot("directory-panel"));

        link.report(ProviderStatus.State.UNREACHABLE, "", "connection refused");
        harness.waitUntil(() -> PartHarness.findById(harness.shell, Label.class, "directory.unreachable") != null
                && harness.byId(Label.class, "directory.unreachable").getText().contains(ScriptedProvider.SERVICE
                        + ": connection refused"), SECONDS,
                "an unreachable service says so");

        Button listed = harness.byId(Button.class, "directory.listed");
        listed.setSelection(false);
        PartHarness.click(listed);
        ScriptedProvider.Link unlisted = joined();
        assertFalse(unlisted.context.listed(), "online again, unlisted");
        waitClosed(link); // the first link was closed

        harness.chooseMethod("Manual exchange");
        harness.settle(500);
        assertFalse(unlisted.closed, "the client stays online with it whatever page is shown");
    }

    /**
     * "Copy my id" puts our id on the service on the clipboard; an id pasted into "Connect by id"
     * connects to that peer: an unlisted one by the address the method reads from the id, a listed
     * one as listed.
     */
    @Test
    void copyMyIdPutsOurIdOnTheClipboardAndAPastedIdConnects() throws Exception {
        ScriptedProvider.Link link = registeredWithBobListed();
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
        ScriptedProvider.Exchange toCarol = next(link);
        assertEquals(carol.self().key(), toCarol.to.id(), "the pasted id, without the blanks");
        assertEquals(carol.self(), toCarol.to.identity().orElseThrow(), "an unlisted peer is reached by key");
        assertEquals(ScriptedProvider.SERVICE, toCarol.to.scope());
        harness.waitUntil(() -> status.getText().startsWith("Asking " + carol.self().fingerprint().substring(0, 19)),
                SECONDS, "carol registered no name: her key's fingerprint stands for her: " + status.getText());
        toCarol.fail("carol is not online");
        harness.waitUntil(() -> status.getText().contains("carol is not online"), SECONDS, "the failure: " + status.getText());

        // Bob's id, pasted and sent with Enter, reaches bob as listed.
        peerId.setText(bob.self().key());
        peerId.notifyListeners(SWT.DefaultSelection, new Event());
        ScriptedProvider.Exchange toBob = next(link);
        assertTrue(link.listed.get(0).sameAddress(toBob.to) && toBob.to.name().equals("bob"), "the listed bob, with his name");
        connected(toBob, "bob");
    }

    @Test
    void aSignedPeerIsNotVerifiedUntilMarkedAfterComparingTheStableSafetyNumber() throws Exception {
        ScriptedProvider.Link link = registeredWithBobListed();
        Table people = harness.byId(Table.class, "directory.peers");
        people.setSelection(0);
        people.notifyListeners(SWT.Selection, new Event());
        PartHarness.click(harness.byId(Button.class, "directory.connect"));
        ScriptedProvider.Exchange exchange = next(link);
        assertEquals(bob.self().key(), exchange.to.id());
        assertFalse(exchange.reconnect, "a first connection");
        assertTrue(harness.byId(Label.class, "directory.status").getText().contains("Asking bob to connect"));

        connected(exchange, "bob");
        Label identity = harness.byId(Label.class, "chat.identity");
        harness.waitUntil(() -> identity.getText().contains(bob.self().fingerprint()), SECONDS,
                "the chat shows the peer's signed key: " + identity.getText());
        // A stranger's signed key: nobody compared anything yet. Neutral, no green check.
        assertTrue(identity.getText().startsWith("Not verified \u00b7 key " + bob.self().fingerprint()),
                identity.getText());
        assertFalse(identity.getText().contains("\u2714"), identity.getText());
        StyledText messages = harness.byId(StyledText.class, "chat.messages");
        harness.waitUntil(() -> messages.getText().contains("bob is a new contact"), SECONDS,
                "a first meeting is a quiet line: " + messages.getText());
        assertEquals(1, ours.contacts().size(), "bob is remembered");
        assertFalse(harness.byId(Composite.class, "chat.keyChanged").isVisible(), "no warning for a new contact");

        int joinedAt = messages.getText().indexOf("bob joined the chat");
        harness.waitUntil(() -> messages.getLocationAtOffset(joinedAt).x > messages.getClientArea().width / 4, SECONDS,
                "notices stay centred when the identity row appears above the messages");
        Button compare = harness.byId(Button.class, "chat.safetyNumber");
        harness.waitUntil(compare::isVisible, SECONDS, "the safety number can be compared");
        System.out.println("screenshot: " + harness.screenshot("chat-not-verified"));
        PartHarness.click(compare);
        Label number = harness.waitFor(() -> shownSafetyNumber(), SECONDS, "the safety number dialog opens");
        String shown = String.join(" ", number.getText().strip().split("\\s+"));
        assertEquals(ours.safetyNumber(bob.self()), shown, "the number of the two keys");
        assertEquals(bob.safetyNumber(ours.self()), shown, "bob's side derives the same number");
        Label state = PartHarness.findById(number.getShell(), Label.class, "safety.state");
        assertTrue(state.getText().startsWith("Not verified"), state.getText());
        Button mark = PartHarness.findById(number.getShell(), Button.class, "safety.mark");
        assertEquals("Mark as verified", mark.getText());
        System.out.println("screenshot: " + harness.screenshot(number.getShell(), "safety-number"));

        // Compared: the person marks bob verified; the chat header and the history say so.
        PartHarness.click(mark);
        harness.waitUntil(() -> state.getText().startsWith("\u2714 Verified"), SECONDS, state.getText());
        assertEquals("Clear verification", mark.getText());
        harness.waitUntil(() -> identity.getText().startsWith("\u2714 Verified \u00b7 key " + bob.self().fingerprint()),
                SECONDS, identity.getText());
        String bobsConversation = history.conversationWith(bob.self().key(), "bob").id();
        assertTrue(history.conversation(bobsConversation).orElseThrow().verified(), "the mark is kept");
        System.out.println("screenshot: " + harness.screenshot(number.getShell(), "safety-number-verified"));
        number.getShell().close();
        System.out.println("screenshot: " + harness.screenshot("chat-verified"));

        // And it can be taken back.
        PartHarness.click(compare);
        Label again = harness.waitFor(() -> shownSafetyNumber(), SECONDS, "the dialog opens again");
        PartHarness.click(PartHarness.findById(again.getShell(), Button.class, "safety.mark"));
        harness.waitUntil(() -> identity.getText().startsWith("Not verified"), SECONDS, identity.getText());
        assertFalse(history.conversation(bobsConversation).orElseThrow().verified());
        again.getShell().close();
    }

    @Test
    void aRequestFromAKeyMarkedVerifiedSaysSoAndAStrangersDoesNot() throws Exception {
        history.setVerified(history.conversationWith(bob.self().key(), "bob").id(), true);
        ScriptedProvider.Link link = registeredWithBobListed();
        link.offer(ScriptedProvider.peer("bob", bob.self()), bob, false);
        Label told = harness.waitFor(() -> PartHarness.findById(harness.shell, Label.class, "request.identity"),
                SECONDS, "bob's request is shown");
        assertEquals("\u2714 Verified \u00b7 key " + bob.self().fingerprint(), told.getText());
        System.out.println("screenshot: " + harness.screenshot("request-verified"));
        PartHarness.click(harness.byId(Button.class, "request.reject"));

        IdentityService carol = new Ed25519IdentityService(Files.createTempDirectory("p2pchat-carol"));
        link.offer(ScriptedProvider.peer("carol", carol.self()), carol, false);
        Label stranger = harness.waitFor(() -> PartHarness.findById(harness.shell, Label.class, "request.identity"),
                SECONDS, "carol's request is shown");
        assertEquals("Not verified \u00b7 key " + carol.self().fingerprint(), stranger.getText());
    }

    @Test
    void aKnownNameWithAnotherKeyRaisesARedWarningAndClearsTheMark() throws Exception {
        IdentityService earlierBob = new Ed25519IdentityService(Files.createTempDirectory("p2pchat-earlier-bob"));
        assertEquals(Contact.Status.NEW, ours.meet("bob", earlierBob.self()), "bob was met before, with another key");
        String earlier = history.conversationWith(earlierBob.self().key(), "bob").id();
        history.setVerified(earlier, true); // and marked verified then
        ScriptedProvider.Link link = registeredWithBobListed();
        ScriptedProvider.Offer request = link.offer(ScriptedProvider.peer("bob", bob.self()), bob, false);
        Label requestIdentity = harness.waitFor(() -> PartHarness.findById(harness.shell, Label.class, "request.identity"),
                SECONDS, "the request is shown");
        assertTrue(requestIdentity.getText().contains("NOT the one you know"), "the request warns already: "
                + requestIdentity.getText());

        PartHarness.click(harness.byId(Button.class, "request.accept"));
        accepted(request, "bob");
        Composite banner = harness.byId(Composite.class, "chat.keyChanged");
        harness.waitUntil(banner::isVisible, SECONDS, "a changed key raises the banner");
        assertTrue(harness.byId(Label.class, "chat.keyChanged.text").getText().contains("CHANGED"));
        assertEquals(harness.display.getSystemColor(SWT.COLOR_WHITE).getRGB(),
                harness.byId(Label.class, "chat.keyChanged.text").getForeground().getRGB());
        assertTrue(harness.byId(StyledText.class, "chat.messages").getText().contains("identity key has CHANGED"),
                "and the conversation keeps it");
        Label identity = harness.byId(Label.class, "chat.identity");
        harness.waitUntil(() -> identity.getText().startsWith("\u26a0 Key changed \u00b7 key " + bob.self().fingerprint()),
                SECONDS, identity.getText());
        assertFalse(history.conversation(earlier).orElseThrow().verified(), "the mark on the old key is cleared");
        System.out.println("screenshot: " + harness.screenshot("chat-key-changed"));

        // The dialog says it too; accepting the new key (not verified) ends the warning.
        PartHarness.click(harness.byId(Button.class, "chat.safetyNumber"));
        Label number = harness.waitFor(() -> shownSafetyNumber(), SECONDS, "the safety number dialog opens");
        Label state = PartHarness.findById(number.getShell(), Label.class, "safety.state");
        assertTrue(state.getText().contains("Your safety number with bob has changed"), state.getText());
        System.out.println("screenshot: " + harness.screenshot(number.getShell(), "safety-number-key-changed"));
        number.getShell().close();
        PartHarness.click(harness.byId(Button.class, "chat.keyChanged.accept"));
        harness.waitUntil(() -> !banner.isVisible(), SECONDS, "the warning goes once the new key is accepted");
        assertTrue(identity.getText().startsWith("Not verified"), identity.getText());
        assertEquals(List.of(bob.self()), ours.contacts().stream().map(Contact::identity).toList(),
                "bob's key is the new one now");
    }

    @Test
    void aPeerWithoutProofIsShownUnverifiedAndRequestsCanBeRejected() throws Exception {
        ScriptedProvider.Link link = registeredWithBobListed();
        ScriptedProvider.Offer rejected = link.offer(ScriptedProvider.peer("bob", bob.self()), bob, false);
        harness.waitUntil(() -> PartHarness.find(harness.byId(Composite.class, "requests"), Button.class).size() == 2,
                SECONDS, "bob's request is shown");
        ScriptedProvider.Offer accepted = link.offer(ScriptedProvider.webApp("user-1764100000002-webby", "webby"), null,
                false);
        harness.waitUntil(() -> PartHarness.find(harness.byId(Composite.class, "requests"), Button.class).size() == 4,
                SECONDS, "both requests are shown");
        assertTrue(harness.byId(Label.class, "request.text").getText().startsWith("bob asks to connect"));
        System.out.println("screenshot: " + harness.screenshot("directory-requests"));

        PartHarness.click(harness.byId(Button.class, "request.reject"));
        harness.waitUntil(() -> rejected.rejected, SECONDS, "the rejection is sent");
        Label left = harness.byId(Label.class, "request.identity");
        assertTrue(left.getText().startsWith("\u26a0 Unverified"), "webby proves no identity: " + left.getText());
        PartHarness.click(harness.byId(Button.class, "request.accept"));
        accepted(accepted, "webby");
        Label identity = harness.byId(Label.class, "chat.identity");
        harness.waitUntil(() -> identity.getText().startsWith("\u26a0 Unverified"), SECONDS, identity.getText());
        assertFalse(harness.byId(Button.class, "chat.safetyNumber").isVisible(), "no safety number without a key");
        assertTrue(ours.contacts().isEmpty(), "an unverified peer is not remembered");
        assertFalse(harness.byId(Composite.class, "requests").isVisible(), "no request is left");
    }

    @Test
    void theSideThatConnectedReconnectsAfterAFailureAndKeepsTheConversation() throws Exception {
        ScriptedProvider.Link link = registeredWithBobListed();
        Table people = harness.byId(Table.class, "directory.peers");
        people.setSelection(0);
        people.notifyListeners(SWT.DefaultSelection, new Event()); // a double-click
        ScriptedProvider.Exchange first = next(link);
        connected(first, "bob");
        ScriptedSession firstSession = transport.made(first.offer.description());
        firstSession.receive(ChatMessage.create("bob", "before the failure"));

        firstSession.fire(ConnectionState.FAILED);
        Label banner = harness.byId(Label.class, "chat.ended.text");
        harness.waitUntil(() -> banner.getText().equals("Connection lost \u2014 reconnecting (attempt 1 of 5)\u2026"),
                SECONDS, "the attempt is shown: " + banner.getText());
        assertFalse(harness.byId(Button.class, "chat.newConnection").isVisible(), "nothing to do while it reconnects");
        System.out.println("screenshot: " + harness.screenshot("chat-reconnecting"));
        ScriptedProvider.Exchange attempt1 = next(link);
        assertTrue(attempt1.reconnect && attempt1.to.sameAddress(first.to), "a reconnection of the lost connection");
        attempt1.fail("bob did not answer");
        ScriptedProvider.Exchange attempt2 = next(link);
        StyledText messages = harness.byId(StyledText.class, "chat.messages");
        harness.waitUntil(() -> messages.getText().contains("Reconnection attempt 1 failed: bob did not answer"), SECONDS,
                messages.getText());
        harness.waitUntil(() -> banner.getText().contains("attempt 2 of 5"), SECONDS, banner.getText());

        attempt2.succeed(bob);
        ScriptedSession second = harness.waitFor(() -> transport.made(attempt2.offer.description()), SECONDS,
                "the new session");
        harness.waitUntil(() -> second.remote != null, SECONDS, "the new session gets bob's answer");
        second.fire(ConnectionState.CONNECTED);
        harness.waitUntil(() -> messages.getText().contains("Reconnected."), SECONDS, "reconnected: " + messages.getText());
        assertTrue(messages.getText().contains("before the failure"), "the conversation is kept");
        harness.waitUntil(() -> !banner.isVisible(), SECONDS, "the banner is gone: " + banner.getText());
        Text input = harness.byId(Text.class, "chat.input");
        input.setText("after the reconnection");
        PartHarness.key(input, SWT.CR, '\r', 0);
        harness.waitUntil(() -> !second.sent.isEmpty(), SECONDS, "sent");
        assertEquals("after the reconnection", second.sent.get(0).content(), "sent over the new session");
        assertTrue(firstSession.state().isFinal(), "the lost session is closed");
        System.out.println("screenshot: " + harness.screenshot("chat-reconnected"));
    }

    @Test
    void reconnectingGivesUpAfterFiveAttemptsAndOffersTheWayBack() throws Exception {
        ScriptedProvider.Link link = registeredWithBobListed();
        Table people = harness.byId(Table.class, "directory.peers");
        people.setSelection(0);
        PartHarness.click(harness.byId(Button.class, "directory.connect"));
        ScriptedProvider.Exchange first = next(link);
        connected(first, "bob");
        StyledText messages = harness.byId(StyledText.class, "chat.messages");
        harness.waitUntil(() -> messages.getText().contains("bob is a new contact"), SECONDS, "bob is remembered");
        transport.made(first.offer.description()).fire(ConnectionState.FAILED);
        for (int n = 1; n <= 5; n++) {
            next(link).fail("no answer " + n);
        }
        Label banner = harness.byId(Label.class, "chat.ended.text");
        harness.waitUntil(() -> banner.getText().startsWith("Could not reconnect to bob (no answer 5)"), SECONDS,
                "the final failure: " + banner.getText());
        Button back = harness.byId(Button.class, "chat.newConnection");
        assertTrue(back.isVisible(), "the way back to Connect");
        System.out.println("screenshot: " + harness.screenshot("chat-reconnect-failed"));
        PartHarness.click(back);
        assertFalse(part.isChatShown(), "back on the Connect view");
        assertTrue(link.exchanges.isEmpty(), "no sixth attempt");
    }

    @Test
    void theSideThatAcceptedTakesItsPeersReconnectRequestWithoutAsking() throws Exception {
        ScriptedProvider.Link link = registeredWithBobListed();
        PeerAddress bobPeer = ScriptedProvider.peer("bob", bob.self());
        ScriptedProvider.Offer request = link.offer(bobPeer, bob, false);
        harness.waitUntil(() -> PartHarness.findById(harness.shell, Button.class, "request.accept") != null, SECONDS,
                "the request is shown");
        PartHarness.click(harness.byId(Button.class, "request.accept"));
        ScriptedSession first = accepted(request, "bob");

        first.fire(ConnectionState.FAILED);
        Label banner = harness.byId(Label.class, "chat.ended.text");
        harness.waitUntil(() -> banner.getText().contains("waiting for bob to reconnect"), SECONDS, banner.getText());
        // Its peer: the address of this chat, and a proof of the key verified in it.
        ScriptedProvider.Offer again = link.offer(bobPeer, bob, true);
        SignedDescription answer = harness.await(again.answered, SECONDS, "accepted without asking");
        assertTrue(PartHarness.findById(harness.shell, Button.class, "request.accept") == null, "no question to the user");
        ScriptedSession second = transport.made(answer.description());
        second.fire(ConnectionState.CONNECTED);
        StyledText messages = harness.byId(StyledText.class, "chat.messages");
        harness.waitUntil(() -> messages.getText().contains("Reconnected."), SECONDS, messages.getText());
        Label identity = harness.byId(Label.class, "chat.identity");
        harness.waitUntil(() -> identity.getText().startsWith("Not verified \u00b7 key " + bob.self().fingerprint()),
                SECONDS, "the chat goes on with bob's verified key: " + identity.getText());
        assertFalse(harness.byId(Composite.class, "chat.keyChanged").isVisible(), "and no warning");

        // Someone else asking to "reconnect" is a question for the user, not an automatic yes.
        IdentityService mallory = new Ed25519IdentityService(Files.createTempDirectory("p2pchat-mallory"));
        ScriptedProvider.Offer other = link.offer(ScriptedProvider.peer("mallory", mallory.self()), mallory, true);
        harness.waitUntil(() -> PartHarness.findById(harness.shell, Button.class, "request.accept") != null, SECONDS,
                "mallory's request is shown");
        assertFalse(other.answered.isDone());
    }

    /** Requests that say "reconnect" under the chat peer's id but are not that peer in that chat. */
    enum Impostor {
        /** Bob's address, bound to his key, with no proof: the client refuses it by itself. */
        NO_PROOF(null),
        /** Bob's address, bound to his key, proving another key: refused by itself too. */
        ANOTHER_KEY(null),
        /** Bob's id on the web app's API of the same service (not bound to a key), proving nothing. */
        LEGACY_API_NO_PROOF("\u26a0 Unverified: bob is a contact who proved their identity before; this request proves none"),
        /** Bob's id and a proof of his key, but on the web app's API: not the way this chat was made. */
        LEGACY_API_WITH_PROOF("Not verified \u00b7 key "),
        /** Bob's id and a proof of his key, but through another service. */
        ANOTHER_SERVICE("Not verified \u00b7 key ");

        /** How the request bar's identity line starts; null: never shown, the client refuses it. */
        final String told;

        Impostor(String told) {
            this.told = told;
        }
    }

    /**
     * While the accepting side waits for its peer to reconnect, a "reconnect" under the peer's id
     * that does not continue this chat is refused by the client (a proof that fails the address's
     * key) or shown as a request for the user to answer, saying who asks (no proof, another API,
     * another service). The conversation is not handed to it and keeps waiting, and bob's own
     * reconnect is still taken without asking afterwards.
     */
    @ParameterizedTest
    @EnumSource(Impostor.class)
    void aReconnectUnderThePeersIdThatDoesNotContinueTheChatIsNotTakenAndTheChatKeepsWaiting(Impostor impostor)
            throws Exception {
        ScriptedProvider.Link link = registeredWithBobListed();
        PeerAddress bobPeer = ScriptedProvider.peer("bob", bob.self());
        ScriptedProvider.Offer request = link.offer(bobPeer, bob, false);
        harness.waitUntil(() -> PartHarness.findById(harness.shell, Button.class, "request.accept") != null, SECONDS,
                "the request is shown");
        PartHarness.click(harness.byId(Button.class, "request.accept"));
        ScriptedSession first = accepted(request, "bob");
        StyledText messages = harness.byId(StyledText.class, "chat.messages");
        harness.waitUntil(() -> messages.getText().contains("bob is a new contact"), SECONDS, "bob is remembered");
        first.fire(ConnectionState.FAILED);
        Label banner = harness.byId(Label.class, "chat.ended.text");
        harness.waitUntil(() -> banner.getText().contains("waiting for bob to reconnect"), SECONDS, banner.getText());

        IdentityService mallory = new Ed25519IdentityService(Files.createTempDirectory("p2pchat-mallory"));
        String bobId = bob.self().key();
        PeerAddress legacyBob = ScriptedProvider.webApp(bobId, "bob");
        ScriptedProvider.Offer forged = switch (impostor) {
            case NO_PROOF -> link.offer(bobPeer, null, true);
            case ANOTHER_KEY -> link.offer(bobPeer, mallory, true);
            case LEGACY_API_NO_PROOF -> link.offer(legacyBob, null, true);
            case LEGACY_API_WITH_PROOF -> link.offer(legacyBob, bob, true);
            case ANOTHER_SERVICE -> link.offer(new PeerAddress(ScriptedProvider.ID, bobId, "bob", "192.0.2.2:3479",
                    bobPeer.identity(), null), bob, true);
        };
        harness.waitUntil(() -> forged.answered.isDone() || forged.rejected
                || PartHarness.findById(harness.shell, Label.class, "request.identity") != null, SECONDS,
                "the client takes the reconnect, refuses it or shows it");
        assertFalse(forged.answered.isDone(), "the conversation is handed to a reconnect that does not continue it");
        if (impostor.told == null) {
            assertTrue(forged.rejected, "refused by the client");
            assertTrue(PartHarness.findById(harness.shell, Label.class, "request.identity") == null, "not a question");
        } else {
            Label told = harness.byId(Label.class, "request.identity");
            assertTrue(told.getText().startsWith(impostor.told), "the user is told who asks: " + told.getText());
            if (impostor.told.startsWith("Not verified")) {
                assertTrue(told.getText().contains(bob.self().fingerprint()), told.getText());
            }
            assertTrue(harness.byId(Label.class, "request.text").getText().startsWith("bob asks to connect again"));
            System.out.println("screenshot: " + harness.screenshot("impostor-reconnect-" + impostor.name().toLowerCase()));
            PartHarness.click(harness.byId(Button.class, "request.reject"));
            harness.waitUntil(() -> forged.rejected, SECONDS, "the user's no is sent");
        }
        assertFalse(forged.answered.isDone(), "not accepted without asking");
        assertTrue(banner.getText().contains("waiting for bob to reconnect"), "the chat keeps waiting: " + banner.getText());
        assertFalse(messages.getText().contains("Reconnected."));

        ScriptedProvider.Offer genuine = link.offer(bobPeer, bob, true);
        SignedDescription answer = harness.await(genuine.answered, SECONDS, "bob's own reconnect is taken");
        transport.made(answer.description()).fire(ConnectionState.CONNECTED);
        harness.waitUntil(() -> messages.getText().contains("Reconnected."), SECONDS, messages.getText());
    }

    @Test
    void aReconnectFromTheChatPeersIdWithoutItsProofIsAQuestionAndTheChatGoesOn() throws Exception {
        ScriptedProvider.Link link = registeredWithBobListed();
        PeerAddress bobPeer = ScriptedProvider.peer("bob", bob.self());
        ScriptedProvider.Offer request = link.offer(bobPeer, bob, false);
        harness.waitUntil(() -> PartHarness.findById(harness.shell, Button.class, "request.accept") != null, SECONDS,
                "the request is shown");
        PartHarness.click(harness.byId(Button.class, "request.accept"));
        accepted(request, "bob");
        StyledText messages = harness.byId(StyledText.class, "chat.messages");
        harness.waitUntil(() -> messages.getText().contains("bob is a new contact"), SECONDS, "bob is remembered");

        // "From" bob's key on the web app's API of the same service, proving nothing (anyone can post that).
        ScriptedProvider.Offer forged = link.offer(ScriptedProvider.webApp(bob.self().key(), "bob"), null, true);
        harness.waitUntil(() -> PartHarness.findById(harness.shell, Button.class, "request.accept") != null, SECONDS,
                "the forged reconnect is shown as a request");
        assertFalse(forged.answered.isDone(), "not accepted without asking");
        assertTrue(part.isChatShown(), "the chat with bob goes on");
        assertEquals("\u25cf Connected to bob", harness.byId(Label.class, "chat.status").getText());
        Label identity = harness.byId(Label.class, "request.identity");
        assertTrue(identity.getText().startsWith("\u26a0 Unverified: bob is a contact who proved their identity "
                + "before; this request proves none"), identity.getText());
        System.out.println("screenshot: " + harness.screenshot("forged-reconnect-request"));
    }

    @Test
    void aRequestWhileTheWindowIsInTheBackgroundCountsInTheTitle() throws Exception {
        ScriptedProvider.Link link = registeredWithBobListed();
        Shell other = new Shell(harness.display);
        try {
            other.setSize(200, 100);
            other.open();
            other.forceActive();
            harness.waitUntil(() -> harness.display.getActiveShell() != harness.shell, SECONDS, "another window is active");
            link.offer(ScriptedProvider.peer("bob", bob.self()), bob, false);
            harness.waitUntil(() -> part.unreadCount() == 1, SECONDS, "the request is announced");
            assertEquals("P2P Chat \u2014 desk (1)", harness.shell.getText());
        } finally {
            other.dispose();
        }
    }

    // ---- steps ---------------------------------------------------------------------------------

    /** Chooses the directory, registers on it and waits for bob in the list. */
    private ScriptedProvider.Link registeredWithBobListed() throws Exception {
        harness.chooseMethod("Test directory");
        ScriptedProvider.Link link = joined();
        link.listed = List.of(ScriptedProvider.peer("bob", bob.self()));
        link.report(ProviderStatus.State.ONLINE, ours.self().key(), "authenticated API");
        Table people = harness.byId(Table.class, "directory.peers");
        try {
            harness.waitUntil(() -> people.getItemCount() == 1, SECONDS, "bob is listed");
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; the list says "
                    + harness.byId(Label.class, "directory.peers.status").getText() + "; the service " + serviceLine(), e);
        }
        return link;
    }

    /** The next link the client starts that is still open. */
    private ScriptedProvider.Link joined() throws Exception {
        while (true) {
            ScriptedProvider.Link link = poll(directory.links, "the client goes online with the directory");
            if (!link.closed) {
                return link;
            }
        }
    }

    private void waitClosed(ScriptedProvider.Link link) {
        harness.waitUntil(() -> link.closed, SECONDS, "the link is closed");
    }

    private ScriptedProvider.Exchange next(ScriptedProvider.Link link) throws Exception {
        ScriptedProvider.Exchange next = harness.await(CompletableFuture.supplyAsync(() -> {
            try {
                return link.exchanges.poll(SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }, WAITER), SECONDS + 5, "the client sends an offer");
        assertNotNull(next, () -> "the client sent no offer within " + SECONDS + " s; the chat says: "
                + harness.byId(StyledText.class, "chat.messages").getText());
        return next;
    }

    private <T> T poll(BlockingQueue<T> queue, String what) throws Exception {
        T next = harness.await(CompletableFuture.supplyAsync(() -> {
            try {
                return queue.poll(SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }, WAITER), SECONDS + 5, what);
        assertNotNull(next, () -> "nothing within " + SECONDS + " s: " + what);
        return next;
    }

    /** Bob answers our offer with his proof, the session connects and he joins; returns his answer. */
    private SignedDescription connected(ScriptedProvider.Exchange exchange, String peerName) {
        SignedDescription answer = exchange.succeed(bob);
        ScriptedSession session = harness.waitFor(() -> transport.made(exchange.offer.description()), SECONDS,
                "the session of our offer");
        harness.waitUntil(() -> session.remote != null, SECONDS, "the session gets the answer");
        connected(session, peerName);
        return answer;
    }

    /** The client answered the offer it accepted; its session connects and the peer joins. */
    private ScriptedSession accepted(ScriptedProvider.Offer offer, String peerName) throws Exception {
        SignedDescription answer = harness.await(offer.answered, SECONDS, "the client answers");
        ScriptedSession session = transport.made(answer.description());
        connected(session, peerName);
        return session;
    }

    /**
     * The session connects and the peer's join notice arrives, as the transport reports them; the
     * chat opens and learns who the peer is.
     */
    private void connected(ScriptedSession session, String peerName) {
        session.fire(ConnectionState.CONNECTED);
        session.receive(ChatMessage.joinNotice(peerName));
        session.peerClient.complete("scripted"); // the join notice names a client: messages can go out
        harness.waitUntil(part::isChatShown, SECONDS, "the chat opens once connected");
        Label identity = harness.byId(Label.class, "chat.identity");
        harness.waitUntil(identity::isVisible, SECONDS, "the chat knows who the peer is");
    }

    /** The first service's line in the panel (the lines are made again on every change). */
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
