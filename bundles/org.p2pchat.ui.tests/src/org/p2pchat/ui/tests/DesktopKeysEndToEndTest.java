package org.p2pchat.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import com.google.gson.JsonObject;

import org.eclipse.swt.dnd.Clipboard;
import org.eclipse.swt.dnd.TextTransfer;
import org.eclipse.swt.dnd.Transfer;
import org.eclipse.swt.widgets.Display;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.testing.CliProcess;
import org.p2pchat.testing.NetworkIsolation;

/**
 * The README's keyboard and menu promises on the real desktop client, pressed on the X display as
 * a person would, with the command-line client as the peer: Ctrl+Shift+C copies the offer (the
 * peer answers what the clipboard holds), File &gt; Send File… offers a file the peer hears of,
 * Ctrl+D ends the chat (the peer sees the chat closed from the other side), Ctrl+Q quits.
 * <p>
 * Opens a WebRTC connection: runs only inside the test network namespace, with no ICE servers.
 */
class DesktopKeysEndToEndTest {

    private static final long SECONDS = DesktopClientSmokeTest.WAIT_SECONDS;

    private static Path product;

    @BeforeAll
    static void productAndNetwork() {
        NetworkIsolation.requireIsolatedNetwork();
        product = Path.of(DesktopClientSmokeTest.requiredProperty("p2pchat.product.dir"));
    }

    @Test
    void copyTheOfferSendAFileAndDisconnectWithTheKeyboard(@TempDir Path profile, @TempDir Path files) throws Exception {
        Path output = Path.of(DesktopClientSmokeTest.requiredProperty("p2pchat.test.output.dir"));
        Files.writeString(profile.resolve("settings.json"), "{\"username\":\"desk-keys\",\"iceServers\":[]}");
        Process client = DesktopClientSmokeTest.startClient(profile, output);
        try (DesktopClientSmokeTest.ConsoleLog log = new DesktopClientSmokeTest.ConsoleLog(client,
                output.resolve("keys-console.log"));
                CliProcess bob = CliProcess.start("cli-keys-bob", product, output.resolve("ui-e2e").resolve("keys-bob"),
                        "--no-ice", "--name", "cli-bob", "answer")) {
            assertTrue(log.shown.await(SECONDS, TimeUnit.SECONDS), "the window is not shown; output:\n" + log.text());
            String main = DesktopClientSmokeTest.viewableWindow(DesktopClientSmokeTest.MAIN_WINDOW);

            // The manual exchange is shown first; its "Create offer" is the third stop of the Tab key.
            for (String key : new String[] { "Tab", "Tab", "Tab", "space" }) {
                DesktopClientSmokeTest.press(main, key);
            }
            String offer = copiedOffer(main);
            bob.send(offer);
            String answer = bob.await("answer", SECONDS).get("text").getAsString();

            // The offer step leaves the focus in the answer field: type the answer, go on to Connect, press it.
            GtkFileChooser.xdotool(SECONDS, "windowfocus", "--sync", main);
            GtkFileChooser.xdotool(SECONDS, "type", "--delay", "2", answer);
            DesktopClientSmokeTest.press(main, "ctrl+Tab");
            DesktopClientSmokeTest.press(main, "space");
            bob.awaitState("connected", SECONDS);

            // File > Send File... from the keyboard: Alt+F opens the menu, F is the item's mnemonic.
            Path report = Files.writeString(files.resolve("report.txt"), "quarterly figures");
            openFileChooser(client, main);
            assertEquals("chosen", GtkFileChooser.choose("Send files to .*", report), "the file chooser takes the file");
            JsonObject offered = bob.await("file-offer", SECONDS);
            assertTrue(offered.toString().contains("report.txt"), "bob is offered the file: " + offered);
            DesktopClientSmokeTest.screenshot(output, "keys-file-offered.png", main);

            DesktopClientSmokeTest.press(main, "ctrl+d");
            bob.awaitState("closed", SECONDS);
            assertEquals(3, bob.awaitExit(SECONDS), "the CLI's exit code: the peer ended the chat");

            DesktopClientSmokeTest.press(main, "ctrl+q");
            assertTrue(client.waitFor(SECONDS, TimeUnit.SECONDS), "Ctrl+Q did not quit; output:\n" + log.text());
            log.awaitEnd();
            assertEquals(0, client.exitValue(), "exit code; output:\n" + log.text());
            assertTrue(log.errors().isEmpty(), "errors logged:\n" + log.text());
        } finally {
            client.descendants().forEach(ProcessHandle::destroyForcibly);
            client.destroyForcibly();
        }
    }

    /**
     * Presses {@code keys} (a menu's Alt+letter) and waits until the menu is on the screen: a key
     * pressed while GTK is still opening it goes to the window instead, and the item is never chosen.
     */
    /**
     * File > Send File… with the keys, until the chooser is on screen: the desktop enables the item
     * when it is connected itself, which can be a moment after the terminal peer said "connected";
     * a person whose item is still grey closes the menu and tries again, and so does this.
     */
    private static void openFileChooser(Process client, String main) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
        while (true) {
            openMenu(client, main, "alt+f");
            DesktopClientSmokeTest.press(main, "f");
            long shown = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (System.nanoTime() < shown) {
                if (GtkFileChooser.visible("Send files to .*") != null) {
                    return;
                }
                Thread.sleep(200); // X tells nobody here when a window maps: look again
            }
            assertTrue(System.nanoTime() < deadline, "File > Send File… opened no file chooser within " + SECONDS + " s");
            if (menuShown(client)) {
                DesktopClientSmokeTest.press(main, "Escape"); // the item was disabled: the menu stayed open
            }
        }
    }

    static void openMenu(Process client, String main, String keys) throws Exception {
        DesktopClientSmokeTest.press(main, keys);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
        while (!menuShown(client)) {
            assertTrue(System.nanoTime() < deadline, keys + " opened no menu within " + SECONDS + " s");
            Thread.sleep(100); // X tells nobody here when a window maps: look again
        }
    }

    /**
     * Whether a pop-up menu of the client is on the screen: of the JVM the start script runs (a
     * child of the script, which starts it again when it asks for a restart).
     */
    static boolean menuShown(Process client) throws Exception {
        for (long pid : java.util.stream.Stream.concat(java.util.stream.Stream.of(client.toHandle()), client.descendants())
                .mapToLong(ProcessHandle::pid).toArray()) {
            if (menuShown(pid)) {
                return true;
            }
        }
        return false;
    }

    /** Whether a pop-up menu of the process {@code pid} is on the screen. */
    private static boolean menuShown(long pid) throws Exception {
        String windows;
        try {
            windows = GtkFileChooser.xdotool(30, "search", "--onlyvisible", "--pid", Long.toString(pid), "");
        } catch (IllegalStateException none) { // xdotool fails when it finds nothing
            return false;
        }
        for (String window : windows.strip().split("\\s+")) {
            Process xprop = new ProcessBuilder("xprop", "-id", window, "_NET_WM_WINDOW_TYPE").redirectErrorStream(true)
                    .start();
            String type = new String(xprop.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (xprop.waitFor(30, TimeUnit.SECONDS) && xprop.exitValue() == 0 && type.contains("POPUP_MENU")) {
                return true;
            } // else not a menu, or gone meanwhile
        }
        return false;
    }

    /**
     * Presses Ctrl+Shift+C until the clipboard holds an offer (creating it gathers addresses
     * first), and returns it; the clipboard is read from this process, as another application would.
     */
    private static String copiedOffer(String main) throws Exception {
        Display display = Display.getDefault();
        Clipboard mine = new Clipboard(display);
        try { // nothing left from an earlier test of this process: the offer must come from the client
            mine.setContents(new Object[] { "nothing copied yet" }, new Transfer[] { TextTransfer.getInstance() });
        } finally {
            mine.dispose();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
        String text = null;
        while (System.nanoTime() < deadline) {
            DesktopClientSmokeTest.press(main, "ctrl+shift+c");
            Clipboard clipboard = new Clipboard(display);
            try {
                text = (String) clipboard.getContents(TextTransfer.getInstance());
            } finally {
                clipboard.dispose();
            }
            if (text != null && text.startsWith("p2pchat1:")) {
                return text;
            }
            Thread.sleep(500); // the offer is still being made: ask again
        }
        throw new AssertionError("Ctrl+Shift+C put no offer on the clipboard within " + SECONDS + " s: " + text);
    }
}
