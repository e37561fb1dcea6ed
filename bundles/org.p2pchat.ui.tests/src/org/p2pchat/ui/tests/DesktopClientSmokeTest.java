package org.p2pchat.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starts the materialized desktop client through its start script, as a user would, and checks
 * that the main window appears on the X display and that the client closes cleanly when asked.
 * Every wait ends with the event it waits for (a console line, a window mapped, painted or gone,
 * the process's exit); the limits only matter when that never comes.
 * <p>
 * Needs an X server in {@code DISPLAY} (the build runs under {@code xvfb-run}) and the tools
 * {@code xwininfo} (x11-utils), {@code xdotool} and {@code import}, {@code identify} (imagemagick).
 */
class DesktopClientSmokeTest {

    static final String WINDOW_SHOWN = "P2P Chat window shown";
    /**
     * Ends a client the test could not close (the test has failed by then). The tests close the
     * client themselves once they are done, so nothing races this on a slow machine.
     */
    private static final long AUTOCLOSE_MS = TimeUnit.MINUTES.toMillis(10);
    /** The first start on a small machine is slow; every wait ends as soon as what it waits for happens. */
    static final long WAIT_SECONDS = 60;
    /** A window painted with text has many colours (anti-aliasing); one not painted yet has one or two. */
    private static final int PAINTED_COLOURS = 16;
    /**
     * A top-level window titled "P2P Chat" (then the profile's name, and the unread count) in
     * {@code xwininfo -root -tree}.
     */
    static final Pattern MAIN_WINDOW = Pattern.compile("^\\s*(0x[0-9a-f]+) \"P2P Chat[^\"]*\":", Pattern.MULTILINE);
    private static final Pattern SETTINGS_WINDOW = Pattern.compile("^\\s*(0x[0-9a-f]+) \"Settings ?\":", Pattern.MULTILINE);

    @Test
    void desktopClientShowsItsWindowAndExitsCleanly(@TempDir Path profile) throws Exception {
        Path output = Path.of(requiredProperty("p2pchat.test.output.dir"));
        long started = System.nanoTime();
        Process client = startClient(profile, output);
        try (ConsoleLog log = new ConsoleLog(client, output.resolve("client-console.log"))) {
            assertTrue(log.shown.await(WAIT_SECONDS, TimeUnit.SECONDS),
                    "no '" + WINDOW_SHOWN + "' within " + WAIT_SECONDS + " s; output:\n" + log.text());
            System.out.printf("desktop client window shown after %.1f s%n", (System.nanoTime() - started) / 1e9);

            String main = viewableWindow(MAIN_WINDOW);
            screenshot(output, "client-window.png", main);

            press(main, "ctrl+q"); // closed once looked at: no timer races the checks above
            assertTrue(client.waitFor(WAIT_SECONDS, TimeUnit.SECONDS),
                    "the client did not exit within " + WAIT_SECONDS + " s of Ctrl+Q; output:\n" + log.text());
            log.awaitEnd();
            assertEquals(0, client.exitValue(), "exit code; output:\n" + log.text());
            assertTrue(log.errors().isEmpty(), "errors logged:\n" + log.text());
        } finally {
            client.descendants().forEach(ProcessHandle::destroyForcibly);
            client.destroyForcibly();
        }
    }

    /**
     * The window's key bindings, pressed on the X display as a person would: Ctrl+, opens the
     * settings, Escape closes them, Ctrl+Q quits the client cleanly.
     */
    @Test
    void keyboardShortcutsOpenSettingsAndQuit(@TempDir Path profile) throws Exception {
        Path output = Path.of(requiredProperty("p2pchat.test.output.dir"));
        Process client = startClient(profile, output);
        try (ConsoleLog log = new ConsoleLog(client, output.resolve("shortcuts-console.log"))) {
            assertTrue(log.shown.await(WAIT_SECONDS, TimeUnit.SECONDS),
                    "no '" + WINDOW_SHOWN + "' within " + WAIT_SECONDS + " s; output:\n" + log.text());
            String main = viewableWindow(MAIN_WINDOW);

            press(main, "ctrl+comma");
            String settings = viewableWindow(SETTINGS_WINDOW);
            screenshot(output, "settings-by-shortcut.png", settings);
            press(settings, "Escape");
            waitUntilGone(settings);

            press(main, "ctrl+q");
            assertTrue(client.waitFor(WAIT_SECONDS / 2, TimeUnit.SECONDS), "Ctrl+Q did not quit; output:\n" + log.text());
            log.awaitEnd();
            assertEquals(0, client.exitValue(), "exit code; output:\n" + log.text());
            assertTrue(log.errors().isEmpty(), "errors logged:\n" + log.text());
        } finally {
            client.descendants().forEach(ProcessHandle::destroyForcibly);
            client.destroyForcibly();
        }
    }

    static Process startClient(Path profile, Path output) throws IOException {
        String display = System.getenv("DISPLAY");
        assertTrue(display != null && !display.isBlank(),
                "DISPLAY is not set: this test opens the desktop client and needs an X server; run the build under xvfb-run");
        Path productDir = Path.of(requiredProperty("p2pchat.product.dir"));
        Path script = productDir.resolve("p2pchat");
        assertTrue(Files.isExecutable(script),
                "no executable start script " + script + ": build releng/org.p2pchat.repository first");
        if (!Files.exists(profile.resolve("settings.json"))) {
            Files.writeString(profile.resolve("settings.json"), "{\"username\":\"smoke-test\"}");
        }
        ProcessBuilder builder = new ProcessBuilder(script.toString(), "--profile", profile.toString())
                .redirectErrorStream(true);
        // A home of its own: the Equinox cache and SWT's files stay out of the user's home.
        builder.environment().put("HOME", Files.createDirectories(output.resolve("smoke-home")).toString());
        builder.environment().put("P2PCHAT_VMARGS", "-Dp2pchat.ui.autoclose.ms=" + AUTOCLOSE_MS);
        // The first start would write the JVM's cache at its exit, making that wait; StartupCacheTest tests it.
        builder.environment().put("P2PCHAT_AOT_CACHE", "off");
        return builder.start();
    }

    /** Gives the window the keyboard focus (there is no window manager under Xvfb) and presses keys. */
    static void press(String window, String keys) throws Exception {
        run("xdotool", "windowfocus", "--sync", window);
        run("xdotool", "key", "--clearmodifiers", keys);
    }

    /**
     * Saves what {@code window} shows once the client painted it: the X server draws
     * asynchronously, so the window's picture is taken until it has the colours of text. (Only the
     * window: without a window manager the root keeps stale pixels of windows that went away.)
     */
    static void screenshot(Path output, String name, String window) throws Exception {
        Path screenshot = Files.createDirectories(output.resolve("screenshots")).resolve(name);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        int colours;
        do {
            run("import", "-window", window, screenshot.toString());
            colours = Integer.parseInt(run("identify", "-format", "%k", screenshot.toString()).strip());
            if (colours >= PAINTED_COLOURS) {
                return;
            }
            Thread.sleep(250);
        } while (System.nanoTime() < deadline);
        fail("window " + window + " was not painted within " + WAIT_SECONDS + " s (" + colours + " colours): " + screenshot);
    }

    private static void waitUntilGone(String window) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (System.nanoTime() < deadline) {
            if (!viewable(window)) {
                return;
            }
            Thread.sleep(250);
        }
        fail("window " + window + " is still shown");
    }

    private static boolean viewable(String window) throws Exception {
        Process p = new ProcessBuilder("xwininfo", "-id", window).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        return p.exitValue() == 0 && out.contains("Map State: IsViewable");
    }

    /**
     * The id of a viewable top-level window whose title matches (GTK also keeps unmapped helper
     * windows of the same name).
     */
    static String viewableWindow(Pattern title) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        String tree;
        do {
            tree = run("xwininfo", "-root", "-tree");
            Matcher m = title.matcher(tree);
            while (m.find()) {
                if (viewable(m.group(1))) {
                    return m.group(1);
                }
            }
            Thread.sleep(250);
        } while (System.nanoTime() < deadline);
        return fail("no viewable window matching " + title + "; xwininfo -root -tree:\n" + tree);
    }

    /** Runs a tool to completion and returns its output; fails the test if it fails. */
    private static String run(String... command) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException(command[0] + " is missing (packages: x11-utils for xwininfo, xdotool, imagemagick for import)", e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), String.join(" ", command) + " hangs");
        assertEquals(0, p.exitValue(), String.join(" ", command) + " failed:\n" + out);
        return out;
    }

    static String requiredProperty(String name) {
        String value = System.getProperty(name);
        assertTrue(value != null && !value.isBlank(), "system property " + name + " is not set (see the pom's argLine)");
        return value;
    }

    /** Reads the client's console on a thread of its own, into memory and a file. */
    static final class ConsoleLog implements AutoCloseable {

        /** An Eclipse log entry of severity ERROR: {@code !ENTRY <bundle> 4 ...}. */
        private static final Pattern ERROR_ENTRY = Pattern.compile("^!ENTRY \\S+ 4 ");

        final CountDownLatch shown = new CountDownLatch(1);
        private final List<String> lines = new ArrayList<>();
        private final Thread reader;

        ConsoleLog(Process process, Path file) {
            reader = new Thread(() -> copy(process, file), "client console");
            reader.setDaemon(true);
            reader.start();
        }

        private void copy(Process process, Path file) {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                    PrintWriter out = new PrintWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8), true)) {
                for (String line; (line = in.readLine()) != null;) {
                    synchronized (lines) {
                        lines.add(line);
                    }
                    out.println(line);
                    if (line.equals(WINDOW_SHOWN)) {
                        shown.countDown();
                    }
                }
            } catch (IOException e) {
                synchronized (lines) {
                    lines.add("(console unreadable: " + e + ")");
                }
            }
        }

        /** Waits for the rest of the console; the process has exited, so its end is near. */
        void awaitEnd() throws InterruptedException {
            reader.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        }

        String text() {
            synchronized (lines) {
                return String.join("\n", lines);
            }
        }

        List<String> errors() {
            synchronized (lines) {
                return lines.stream().filter(l -> ERROR_ENTRY.matcher(l).find()).toList();
            }
        }

        @Override
        public void close() throws InterruptedException {
            reader.join(TimeUnit.SECONDS.toMillis(1));
        }
    }
}
