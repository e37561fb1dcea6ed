package org.p2pchat.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.signaling.manual.internal.ManualSignalingProvider;
import org.p2pchat.ui.internal.parts.ClientPart;

/**
 * Every "?" of the main window opens its explanation: the Connect page with each connection
 * method shown (the manual exchange, a directory), and a chat. Each button is pressed as a click
 * would; its popup must open with the title and the text, and nothing may fail on the way (an
 * exception in the click is what the running client shows as "Internal Error").
 */
class HelpButtonsTest {

    private static final long SECONDS = ScriptedChat.SECONDS;

    private PartHarness harness;
    private ScriptedTransport transport;
    private ClientPart part;

    @BeforeEach
    void open(@TempDir Path profile) throws Exception {
        harness = new PartHarness("HelpButtonsTest");
        harness.registerProfile("alice", profile);
        transport = new ScriptedTransport();
        harness.clientLayer(transport, new ManualSignalingProvider(), new ScriptedProvider());
        part = harness.make(ClientPart.class, 1000, 760);
    }

    @AfterEach
    void close() {
        harness.close();
    }

    @Test
    void everyHelpButtonOfTheWindowOpensItsExplanation() throws Exception {
        Set<String> pressed = new LinkedHashSet<>();
        harness.chooseMethod("Manual exchange");
        harness.waitUntil(() -> PartHarness.findById(harness.shell, Button.class, "exchange.createOffer") != null, SECONDS,
                "the manual exchange is shown");
        pressAll(harness, harness.shell, pressed, "help-connect-manual");

        harness.chooseMethod("Test directory");
        harness.waitUntil(() -> visibleHelp(harness.shell).stream().anyMatch(b -> title(b).equals("Test directory")),
                SECONDS, "the directory is shown");
        pressAll(harness, harness.shell, pressed, "help-connect-directory");

        ScriptedChat.connect(harness, part, transport);
        pressAll(harness, harness.shell, pressed, "help-chat");

        for (String expected : List.of("Your name", "Your identity key", "Connection methods", "Manual exchange",
                "Test directory", "Listed in the public directory", "Connect by id", "Chat", "Who is on the other end")) {
            assertTrue(pressed.contains(expected), "the help \"" + expected + "\" was pressed: " + pressed);
        }
        System.out.println("help buttons pressed in the main window: " + pressed.size() + " " + pressed);
    }

    /** The "?" buttons a person can see in {@code root} now. */
    static List<Button> visibleHelp(Control root) {
        List<Button> found = new ArrayList<>();
        for (Button b : PartHarness.find(root, Button.class)) {
            if (b.isVisible() && b.getToolTipText() != null && b.getToolTipText().startsWith("Help: ")) {
                found.add(b);
            }
        }
        return found;
    }

    private static String title(Button help) {
        return help.getToolTipText().substring("Help: ".length());
    }

    /**
     * Presses every visible help button in {@code root} not pressed before (by title), checking
     * each popup; a picture of the first popup is saved as {@code screenshot}.
     */
    static void pressAll(PartHarness harness, Control root, Set<String> pressed, String screenshot) throws Exception {
        boolean pictured = false;
        for (Button help : visibleHelp(root)) {
            String title = title(help);
            if (!pressed.add(title)) {
                continue;
            }
            Shell popup = press(harness, help);
            if (!pictured) {
                harness.screenshot(screenshot);
                pictured = true;
            }
            popup.close();
            harness.waitUntil(popup::isDisposed, SECONDS, "the help popup closes");
        }
    }

    /** Presses {@code help}; returns its popup once it shows the title and an explanation. */
    static Shell press(PartHarness harness, Button help) {
        String title = title(help);
        Shell window = help.getShell();
        Set<Shell> before = Set.of(window.getShells());
        PartHarness.click(help); // a failure to open throws here, as it reached the user's "Internal Error"
        Shell popup = harness.waitFor(() -> {
            for (Shell s : window.getShells()) {
                if (!before.contains(s) && s.isVisible()) {
                    return s;
                }
            }
            return null;
        }, SECONDS, "the help popup of \"" + title + "\" opens");
        List<String> texts = PartHarness.find(popup, Label.class).stream().map(Label::getText).toList();
        assertTrue(texts.contains(title), "the popup is titled " + title + ": " + texts);
        assertTrue(texts.stream().anyMatch(t -> !t.equals(title) && t.length() > 40),
                "the popup of \"" + title + "\" explains something: " + texts);
        assertEquals(List.of(), List.of(harness.display.getShells()).stream()
                .filter(s -> !s.isDisposed() && s.isVisible() && s.getText().contains("Error")).map(Shell::getText).toList(),
                "no error window");
        return popup;
    }
}
