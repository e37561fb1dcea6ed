package org.p2pchat.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

import com.google.gson.JsonObject;

import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.StyledText;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Text;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.core.settings.SettingsStore;
import org.p2pchat.testing.CliProcess;
import org.p2pchat.testing.NetworkIsolation;
import org.p2pchat.ui.internal.parts.ClientPart;

/**
 * The desktop client's Connect and Chat views, with the real transport and manual exchange,
 * connect to the command-line client of the materialized product the way two people would: the
 * desktop user creates an offer, the terminal user answers, each side verifies the other's
 * identity, both show the same safety number, and they chat both ways.
 * <p>
 * Opens WebRTC connections: runs only inside the test network namespace, with no ICE servers.
 */
class ManualExchangeUiTest {

    /** First start of a product JVM on two loaded cores can take a while. */
    private static final long START_SECONDS = 90;
    private static final long STEP_SECONDS = 30;

    private static Path product;
    private PartHarness harness;
    private Path work;

    @BeforeAll
    static void productAndNetwork() {
        NetworkIsolation.requireIsolatedNetwork();
        product = Path.of(System.getProperty("p2pchat.product.dir", "(p2pchat.product.dir not set)"));
        assertTrue(Files.isDirectory(product), "materialized product missing at " + product);
    }

    @BeforeEach
    void open() throws Exception {
        work = Files.createDirectories(Path.of(System.getProperty("p2pchat.test.output.dir", "target"), "ui-e2e"));
        harness = new PartHarness("ManualExchangeUiTest");
        harness.registerProfile("desk-alice", work.resolve("alice"));
        harness.clientLayerOfTheFramework(); // on this profile: the framework's own is bound to what it met first
    }

    @AfterEach
    void close() {
        harness.close();
    }

    @Test
    void desktopOffersTheCommandLineClientAnswersAndTheyChat() throws Exception {
        ClientPart part = harness.make(ClientPart.class, 900, 720);
        harness.chooseMethod("Manual exchange");
        harness.waitUntil(() -> PartHarness.findById(harness.shell, Button.class, "exchange.createOffer") != null,
                STEP_SECONDS, "the manual exchange is offered");
        String ownFingerprint = harness.byId(Label.class, "connect.fingerprint").getText();

        try (CliProcess bob = CliProcess.start("cli-bob", product, work.resolve("bob"), "--no-ice", "--name", "cli-bob",
                "answer")) {
            PartHarness.click(harness.byId(Button.class, "exchange.createOffer"));
            Text offerText = harness.byId(Text.class, "exchange.offerText");
            harness.waitUntil(() -> !offerText.getText().isEmpty(), START_SECONDS, "the offer appears");
            String offer = offerText.getText();
            assertTrue(offer.startsWith("p2pchat1:"), "the compact form by default: " + offer);
            System.out.println("screenshot: " + harness.screenshot("connect-offer"));

            bob.send(offer);
            String answer = harness.await(waitFor(bob, "answer", START_SECONDS), START_SECONDS, "the CLI's answer")
                    .get("text").getAsString();

            Text pastedAnswer = harness.byId(Text.class, "exchange.pastedAnswer");
            Button connect = harness.byId(Button.class, "exchange.connect");
            Label connectStatus = harness.byId(Label.class, "exchange.status.connect");
            pastedAnswer.setText("this is not an answer");
            PartHarness.click(connect);
            assertTrue(connectStatus.getText().length() > 10, "a bad paste is explained inline: " + connectStatus.getText());
            assertFalse(harness.display.getSystemColor(SWT.COLOR_BLACK).getRGB().equals(connectStatus.getForeground().getRGB()),
                    "the error stands out");
            assertFalse(part.isChatShown());
            System.out.println("screenshot: " + harness.screenshot("connect-bad-paste"));

            pastedAnswer.setText(answer);
            PartHarness.click(connect);
            harness.waitUntil(part::isChatShown, STEP_SECONDS, "the chat opens once connected");
            Label status = harness.byId(Label.class, "chat.status");
            harness.waitUntil(() -> status.getText().contains("Direct"), STEP_SECONDS,
                    "the status shows a direct path: " + status.getText());
            harness.await(waitFor(bob, "connected", STEP_SECONDS), STEP_SECONDS, "the CLI connects");

            // Identity both ways: each side verified the other's proof and both derive one safety number.
            JsonObject cliSawUs = harness.await(first(bob, "identity"), STEP_SECONDS, "the CLI checked our offer");
            assertTrue(cliSawUs.get("signed").getAsBoolean(), "our offer carries a proof: " + cliSawUs);
            assertEquals(ownFingerprint, cliSawUs.get("fingerprint").getAsString(), "the key the Connect view shows");
            Label identity = harness.byId(Label.class, "chat.identity");
            harness.waitUntil(() -> identity.getText().startsWith("Not verified"), STEP_SECONDS,
                    "the CLI's answer is signed, not verified yet: " + identity.getText());
            String cliNumber = harness.await(first(bob, "safety"), STEP_SECONDS, "the CLI's safety number")
                    .get("number").getAsString();
            PartHarness.click(harness.byId(Button.class, "chat.safetyNumber"));
            Label number = harness.waitFor(() -> Arrays.stream(harness.display.getShells())
                    .map(s -> PartHarness.findById(s, Label.class, "safety.number")).filter(l -> l != null)
                    .findFirst().orElse(null), STEP_SECONDS, "the safety number dialog");
            assertEquals(cliNumber, number.getText().replaceAll("\\s+", " "), "both sides show the same safety number");
            System.out.println("screenshot: " + harness.screenshot(number.getShell(), "chat-safety-number-cli"));
            number.getShell().close();

            Text input = harness.byId(Text.class, "chat.input");
            input.setText("Hello from the desktop \u2713");
            PartHarness.key(input, SWT.CR, '\r', 0);
            JsonObject received = harness.await(nextChat(bob), STEP_SECONDS, "the CLI receives the message");
            assertEquals("Hello from the desktop \u2713", received.get("content").getAsString());
            assertEquals("desk-alice", received.get("sender").getAsString());

            bob.send("Hi! Greetings from the terminal.");
            StyledText messages = harness.byId(StyledText.class, "chat.messages");
            harness.waitUntil(() -> messages.getText().contains("Hi! Greetings from the terminal."), STEP_SECONDS,
                    "the UI lists the CLI's message");
            assertTrue(messages.getText().contains("cli-bob"), "the sender is shown: " + messages.getText());
            assertTrue(status.getText().contains("cli-bob"), "the peer is named: " + status.getText());
            input.setText("Multi-line works too:");
            input.setSelection(input.getCharCount());
            PartHarness.key(input, SWT.CR, '\r', SWT.SHIFT);
            input.append("second line");
            PartHarness.key(input, SWT.CR, '\r', 0);
            assertEquals("Multi-line works too:" + input.getLineDelimiter() + "second line",
                    harness.await(nextChat(bob), STEP_SECONDS, "the two-line message").get("content").getAsString());
            System.out.println("screenshot: " + harness.screenshot("chat"));

            PartHarness.click(harness.byId(Button.class, "chat.disconnect"));
            harness.await(waitFor(bob, "closed", STEP_SECONDS), STEP_SECONDS, "the CLI sees the end");
            harness.waitUntil(() -> harness.byId(org.eclipse.swt.widgets.Composite.class, "chat.ended").isVisible(),
                    STEP_SECONDS, "the end is shown with a way back");
            System.out.println("screenshot: " + harness.screenshot("chat-ended"));
            assertEquals(3, harness.await(CompletableFuture.supplyAsync(() -> exit(bob)), STEP_SECONDS,
                    "CLI exit: the peer (the desktop) ended the chat"));
        }
    }

    /** Waits on another thread (the UI thread keeps pumping) for an event or a state of the CLI. */
    private static Future<JsonObject> waitFor(CliProcess cli, String eventOrState, long seconds) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return switch (eventOrState) {
                    case "connected", "closed" -> cli.awaitState(eventOrState, seconds);
                    default -> cli.await(eventOrState, seconds);
                };
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** The CLI's first event called {@code name}, whenever it was printed. */
    private static Future<JsonObject> first(CliProcess cli, String name) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return cli.first(name, STEP_SECONDS);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** The next message event that is not a system notice. */
    private static Future<JsonObject> nextChat(CliProcess cli) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return cli.await(e -> "message".equals(e.get("event").getAsString())
                        && !"system".equals(e.get("sender").getAsString()), "chat message", STEP_SECONDS);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static int exit(CliProcess cli) {
        try {
            return cli.awaitExit(STEP_SECONDS);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
