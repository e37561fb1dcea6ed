package org.p2pchat.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import com.google.gson.JsonObject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.testing.CliProcess;
import org.p2pchat.testing.UpdateSites;
import org.p2pchat.ui.tests.DesktopClientSmokeTest.ConsoleLog;

/**
 * A person adds the local network provider to an installed desktop client with Help &gt; Install
 * New Software…, from the keyboard on the X display: the client is installed from the update site
 * this build made (as a user without a product archive has it), the site's folder is typed in,
 * the dialog lists the site's features, the filter leaves the LAN provider, the space bar checks
 * it, Install installs it, the restart prompt's "Restart now" starts the client again (the script
 * runs it anew on exit code 23), and then the installation lists the feature and the client has
 * the method "lan". Once the install dialog read a site with a newer version, Help &gt; Installed
 * Plug-ins… offers and makes the update; then it uninstalls the provider. Screenshots of every step are
 * in target/screenshots/install-*.png. A folder that is no update site gets a clear message.
 */
class InstallDialogEndToEndTest {

    private static final long SECONDS = DesktopClientSmokeTest.WAIT_SECONDS;
    private static final long COMMAND_SECONDS = 180;
    private static final String FEATURE = "org.p2pchat.lan.feature";
    private static final String NEWER = "9.0.0.v1";
    private static final Pattern INSTALL_WINDOW = Pattern.compile("^\\s*(0x[0-9a-f]+) \"Install New Software ?\":", Pattern.MULTILINE);
    private static final Pattern INSTALLED_WINDOW = Pattern.compile("^\\s*(0x[0-9a-f]+) \"Installed Plug-ins ?\":", Pattern.MULTILINE);
    private static final Pattern RESTART_WINDOW = Pattern.compile("^\\s*(0x[0-9a-f]+) \"Restart P2P Chat ?\":", Pattern.MULTILINE);
    private static final Pattern UNINSTALL_WINDOW = Pattern.compile("^\\s*(0x[0-9a-f]+) \"Uninstall ?\":", Pattern.MULTILINE);

    @Test
    void theLanProviderIsInstalledFromTheSiteRestartedUpdatedAndUninstalled(@TempDir Path dir) throws Exception {
        Path output = Path.of(DesktopClientSmokeTest.requiredProperty("p2pchat.test.output.dir"));
        Path build = Path.of(DesktopClientSmokeTest.requiredProperty("p2pchat.product.dir"));
        Path product = UpdateSites.materializeClient(build, dir.resolve("installed"), dir, COMMAND_SECONDS);
        assertFalse(UpdateSites.p2pchat(product, dir, COMMAND_SECONDS, "list").contains(FEATURE), "not installed at first");
        assertFalse(methods(product, dir.resolve("cli-before")).contains("lan"), "no LAN method at first");

        Path profile = Files.createDirectories(dir.resolve("profile"));
        Process client = start(product, profile, output);
        try (ConsoleLog log = new ConsoleLog(client, output.resolve("install-console.log"))) {
            assertTrue(log.shown.await(SECONDS, TimeUnit.SECONDS), "the window is not shown; output:\n" + log.text());
            String main = viewableWindow(DesktopClientSmokeTest.MAIN_WINDOW);
            DesktopClientSmokeTest.screenshot(output, "install-1-before.png", main);

            String dialog = openFromHelpMenu(client, main, "i", INSTALL_WINDOW);
            type(dialog, UpdateSites.site().toString());
            DesktopClientSmokeTest.press(dialog, "Return");
            awaitLine(log, l -> l.contains("Install New Software: ") && l.contains(" offers "), "the site listed");
            DesktopClientSmokeTest.screenshot(output, "install-2-site-listed.png", dialog);

            // The filter leaves the LAN provider, selected; Tab goes to the list, the space bar checks it.
            DesktopClientSmokeTest.press(dialog, "alt+f");
            type(dialog, "local network");
            DesktopClientSmokeTest.press(dialog, "Tab");
            DesktopClientSmokeTest.press(dialog, "space");
            DesktopClientSmokeTest.screenshot(output, "install-3-lan-checked.png", dialog);
            DesktopClientSmokeTest.press(dialog, "alt+i");

            String restart = viewableWindow(RESTART_WINDOW);
            DesktopClientSmokeTest.screenshot(output, "install-4-restart-prompt.png", restart);
            assertTrue(UpdateSites.p2pchat(product, dir, COMMAND_SECONDS, "list").contains(FEATURE + " "),
                    "the feature is installed before the restart");
            DesktopClientSmokeTest.press(restart, "alt+r");

            // The client ends with exit code 23 and the script starts it again.
            awaitLines(log, l -> l.equals(DesktopClientSmokeTest.WINDOW_SHOWN), 2, "the client shown again after the restart");
            main = viewableWindow(DesktopClientSmokeTest.MAIN_WINDOW);
            DesktopClientSmokeTest.screenshot(output, "install-5-restarted.png", main);
            assertTrue(methods(product, dir.resolve("cli-after")).contains("lan"), "the LAN method is there after the install");

            // A newer version on another site: once the install dialog read that site, Installed
            // Plug-ins offers the update.
            Path newer = newerLanSite(product, dir);
            dialog = openFromHelpMenu(client, main, "i", INSTALL_WINDOW);
            type(dialog, newer.toString());
            DesktopClientSmokeTest.press(dialog, "Return");
            awaitLines(log, l -> l.contains("Install New Software: ") && l.contains(" offers "), 2, "the newer site listed");
            DesktopClientSmokeTest.screenshot(output, "install-6-newer-site.png", dialog);
            DesktopClientSmokeTest.press(dialog, "Escape");
            String installed = openFromHelpMenu(client, main, "p", INSTALLED_WINDOW);
            awaitLine(log, l -> l.contains("Installed Plug-ins: updates for 1 plug-ins"), "the update found");
            DesktopClientSmokeTest.screenshot(output, "install-7-update-available.png", installed);
            DesktopClientSmokeTest.press(installed, "alt+p");
            restart = viewableWindow(RESTART_WINDOW);
            DesktopClientSmokeTest.screenshot(output, "install-8-updated-restart-prompt.png", restart);
            DesktopClientSmokeTest.press(restart, "alt+l");
            assertTrue(UpdateSites.p2pchat(product, dir, COMMAND_SECONDS, "list").contains(FEATURE + " " + NEWER),
                    "updated to the newer version");

            installed = openFromHelpMenu(client, main, "p", INSTALLED_WINDOW);
            DesktopClientSmokeTest.screenshot(output, "install-9-installed-plugins.png", installed);
            DesktopClientSmokeTest.press(installed, "alt+u");
            String confirm = viewableWindow(UNINSTALL_WINDOW);
            DesktopClientSmokeTest.press(confirm, "Return");
            restart = viewableWindow(RESTART_WINDOW);
            DesktopClientSmokeTest.screenshot(output, "install-10-uninstalled-restart-prompt.png", restart);
            DesktopClientSmokeTest.press(restart, "alt+l");
            assertFalse(UpdateSites.p2pchat(product, dir, COMMAND_SECONDS, "list").contains(FEATURE),
                    "not installed after Uninstall");

            DesktopClientSmokeTest.press(main, "ctrl+q");
            assertTrue(client.waitFor(SECONDS, TimeUnit.SECONDS), "Ctrl+Q did not quit; output:\n" + log.text());
            log.awaitEnd();
            assertEquals(0, client.exitValue(), "exit code; output:\n" + log.text());
        } finally {
            client.descendants().forEach(ProcessHandle::destroyForcibly);
            client.destroyForcibly();
        }
        assertFalse(methods(product, dir.resolve("cli-uninstalled")).contains("lan"), "no LAN method after Uninstall");
    }

    @Test
    void aFolderThatIsNoUpdateSiteGetsAClearMessage(@TempDir Path profile, @TempDir Path notASite) throws Exception {
        Path output = Path.of(DesktopClientSmokeTest.requiredProperty("p2pchat.test.output.dir"));
        Files.writeString(notASite.resolve("readme.txt"), "not an update site");
        Process client = DesktopClientSmokeTest.startClient(profile, output);
        try (ConsoleLog log = new ConsoleLog(client, output.resolve("install-bad-site-console.log"))) {
            assertTrue(log.shown.await(SECONDS, TimeUnit.SECONDS), "the window is not shown; output:\n" + log.text());
            String main = viewableWindow(DesktopClientSmokeTest.MAIN_WINDOW);
            String dialog = openFromHelpMenu(client, main, "i", INSTALL_WINDOW);
            type(dialog, notASite.toString());
            DesktopClientSmokeTest.press(dialog, "Return");
            awaitLine(log, l -> l.contains("is not an update site"), "the message that the folder is no update site");
            DesktopClientSmokeTest.screenshot(output, "install-bad-site.png", dialog);

            DesktopClientSmokeTest.press(dialog, "Escape");
            DesktopClientSmokeTest.press(main, "ctrl+q");
            assertTrue(client.waitFor(SECONDS, TimeUnit.SECONDS), "Ctrl+Q did not quit; output:\n" + log.text());
            assertEquals(0, client.exitValue(), "exit code; output:\n" + log.text());
        } finally {
            client.descendants().forEach(ProcessHandle::destroyForcibly);
            client.destroyForcibly();
        }
    }

    /** A site with the LAN provider in version {@link #NEWER}: its bundles from the build's site, renumbered. */
    private static Path newerLanSite(Path product, Path dir) throws Exception {
        Path source = dir.resolve("newer-source");
        for (String bundle : List.of("org.p2pchat.lan", "org.p2pchat.lan.ui")) {
            UpdateSites.renumberedBundle(UpdateSites.siteBundle(bundle), bundle, NEWER, source.resolve("plugins"));
        }
        Path feature = Files.createDirectories(source.resolve("features").resolve(FEATURE + "_" + NEWER));
        Files.writeString(feature.resolve("feature.xml"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <feature id="%s" label="P2P Chat Local Network Discovery" version="%s" provider-name="P2P Chat">
                   <plugin id="org.p2pchat.lan" version="%s"/>
                   <plugin id="org.p2pchat.lan.ui" version="%s"/>
                </feature>
                """.formatted(FEATURE, NEWER, NEWER, NEWER));
        return UpdateSites.publish(product, source, dir.resolve("newer-site"), dir, COMMAND_SECONDS);
    }

    /**
     * {@link DesktopClientSmokeTest#viewableWindow}, again when xwininfo could not walk the window
     * tree because a window went away meanwhile (the progress dialogs come and go).
     */
    private static String viewableWindow(Pattern title) throws Exception {
        for (int attempt = 1;; attempt++) {
            try {
                return DesktopClientSmokeTest.viewableWindow(title);
            } catch (AssertionError e) {
                if (attempt == 5 || e.getMessage() == null || !e.getMessage().contains("Can't query window tree")) {
                    throw e;
                }
            }
        }
    }

    /** Starts the start script of {@code product}, as DesktopClientSmokeTest does for the build's product. */
    private static Process start(Path product, Path profile, Path output) throws IOException {
        Files.writeString(profile.resolve("settings.json"), "{\"username\":\"installer\",\"iceServers\":[]}");
        ProcessBuilder builder = new ProcessBuilder(product.resolve("p2pchat").toString(), "--profile", profile.toString())
                .redirectErrorStream(true);
        builder.environment().put("HOME", Files.createDirectories(output.resolve("install-home")).toString());
        builder.environment().put("P2PCHAT_VMARGS", "-Dp2pchat.ui.autoclose.ms=" + TimeUnit.MINUTES.toMillis(10));
        builder.environment().put("P2PCHAT_AOT_CACHE", "off");
        return builder.start();
    }

    /** Help &gt; the item with mnemonic {@code item}, from the keyboard; returns the dialog's window. */
    private static String openFromHelpMenu(Process client, String main, String item, Pattern dialog) throws Exception {
        DesktopKeysEndToEndTest.openMenu(client, main, "alt+h");
        DesktopClientSmokeTest.press(main, item);
        return viewableWindow(dialog);
    }

    private static void type(String window, String text) throws Exception {
        GtkFileChooser.xdotool(SECONDS, "windowfocus", "--sync", window);
        GtkFileChooser.xdotool(SECONDS, "type", "--delay", "2", text);
    }

    /** Waits until the client's console has a line that {@code line} accepts. */
    private static void awaitLine(ConsoleLog log, Predicate<String> line, String what) throws InterruptedException {
        awaitLines(log, line, 1, what);
    }

    /** Waits until the client's console has {@code count} lines that {@code line} accepts. */
    private static void awaitLines(ConsoleLog log, Predicate<String> line, int count, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(COMMAND_SECONDS);
        while (System.nanoTime() < deadline) {
            if (log.text().lines().filter(line).count() >= count) {
                return;
            }
            Thread.sleep(200); // the console is read on another thread: look again
        }
        throw new AssertionError("not seen within " + COMMAND_SECONDS + " s: " + what + "; output:\n" + log.text());
    }

    /** The connection methods of the installed client, as {@code p2pchat cli methods} lists them. */
    private static List<String> methods(Path product, Path profile) throws Exception {
        try (CliProcess methods = CliProcess.start("methods", product, profile, "methods")) {
            assertEquals(0, methods.awaitExit(COMMAND_SECONDS), "'methods' exit code: " + methods.transcript());
            return methods.seen("method").stream().map((JsonObject m) -> m.get("id").getAsString()).toList();
        }
    }
}
