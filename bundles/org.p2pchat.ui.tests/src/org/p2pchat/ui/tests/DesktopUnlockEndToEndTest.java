package org.p2pchat.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.core.internal.profile.PassphraseProfileLock;
import org.p2pchat.ui.tests.DesktopClientSmokeTest.ConsoleLog;

/**
 * The desktop client product on a profile with a passphrase, typed on the X display as a person
 * would: the unlock dialog comes over the main window, a wrong passphrase keeps it there, the right
 * one opens the profile (its identity is made in the encrypted vault); Quit ends the program.
 */
class DesktopUnlockEndToEndTest {

    private static final String RIGHT = "correct horse battery staple";
    private static final Pattern UNLOCK_WINDOW = Pattern.compile("^\\s*(0x[0-9a-f]+) \"Unlock P2P Chat ?\":",
            Pattern.MULTILINE);
    private static final long WAIT_SECONDS = DesktopClientSmokeTest.WAIT_SECONDS;
    /** How long a window's image stays the same before it counts as painted. */
    private static final long SETTLED_MS = 700;

    @Test
    void theUnlockDialogComesFirstAndTheRightPassphraseOpensTheProfile(@TempDir Path profile) throws Exception {
        Path output = Path.of(DesktopClientSmokeTest.requiredProperty("p2pchat.test.output.dir"));
        Files.writeString(profile.resolve("settings.json"), "{\"username\":\"unlock-test\"}");
        new PassphraseProfileLock(profile).setPassphrase(null, RIGHT.toCharArray());
        Process client = DesktopClientSmokeTest.startClient(profile, output);
        try (ConsoleLog log = new ConsoleLog(client, output.resolve("unlock-console.log"))) {
            assertTrue(log.shown.await(WAIT_SECONDS, TimeUnit.SECONDS), "no window; output:\n" + log.text());
            String unlock = DesktopClientSmokeTest.viewableWindow(UNLOCK_WINDOW);
            String main = DesktopClientSmokeTest.viewableWindow(DesktopClientSmokeTest.MAIN_WINDOW);
            screen(output, "unlock-at-start-product.png", unlock);
            String mainAtStart = look(main);
            type(unlock, "correct horse battery stapler");
            String typed = look(unlock);
            DesktopClientSmokeTest.press(unlock, "Return");
            // The key derivation takes about a second; then the field empties and the message shows.
            awaitChange(unlock, typed);
            unlock = DesktopClientSmokeTest.viewableWindow(UNLOCK_WINDOW); // the dialog stays
            screen(output, "unlock-wrong-passphrase-product.png", unlock);
            assertFalse(identityMade(profile), "a wrong passphrase opened nothing");

            // Typed as a person would; typing again if the X server gave the keys to another window.
            for (int attempt = 1; !identityMade(profile); attempt++) {
                assertTrue(attempt <= 3, "the right passphrase did not unlock the profile; output:\n" + log.text());
                unlock = DesktopClientSmokeTest.viewableWindow(UNLOCK_WINDOW);
                DesktopClientSmokeTest.press(unlock, "ctrl+a");
                type(unlock, RIGHT);
                DesktopClientSmokeTest.press(unlock, "Return");
                waitUntil(() -> identityMade(profile), 20);
            }
            awaitChange(main, mainAtStart); // the dialog goes, the client layer comes up, the identity shows
            screen(output, "unlocked-window.png", main);
            DesktopClientSmokeTest.press(main, "ctrl+q");
            assertTrue(client.waitFor(WAIT_SECONDS, TimeUnit.SECONDS), "Ctrl+Q did not quit; output:\n" + log.text());
            log.awaitEnd();
            assertEquals(0, client.exitValue(), "exit code; output:\n" + log.text());
            assertTrue(log.errors().isEmpty(), "errors logged:\n" + log.text());
        } finally {
            client.descendants().forEach(ProcessHandle::destroyForcibly);
            client.destroyForcibly();
        }
    }

    @Test
    void quitInTheUnlockDialogEndsTheProgram(@TempDir Path profile) throws Exception {
        Path output = Path.of(DesktopClientSmokeTest.requiredProperty("p2pchat.test.output.dir"));
        Files.writeString(profile.resolve("settings.json"), "{\"username\":\"unlock-test\"}");
        new PassphraseProfileLock(profile).setPassphrase(null, RIGHT.toCharArray());
        Process client = DesktopClientSmokeTest.startClient(profile, output);
        try (ConsoleLog log = new ConsoleLog(client, output.resolve("unlock-quit-console.log"))) {
            assertTrue(log.shown.await(WAIT_SECONDS, TimeUnit.SECONDS), "no window; output:\n" + log.text());
            // Escape is Quit; pressed again if the X server gave the key to another window.
            int attempt = 0;
            do {
                assertTrue(++attempt <= 3, "Quit did not end it; output:\n" + log.text());
                DesktopClientSmokeTest.press(DesktopClientSmokeTest.viewableWindow(UNLOCK_WINDOW), "Escape");
            } while (!client.waitFor(15, TimeUnit.SECONDS));
            log.awaitEnd();
            assertEquals(0, client.exitValue(), "exit code; output:\n" + log.text());
            assertFalse(identityMade(profile));
        } finally {
            client.descendants().forEach(ProcessHandle::destroyForcibly);
            client.destroyForcibly();
        }
    }

    /** Whether the vault's folder holds the identity key (sealed: the profile has a passphrase). */
    private static boolean identityMade(Path profile) {
        try (Stream<Path> entries = Files.list(profile)) {
            return entries.filter(p -> p.getFileName().toString().startsWith("secrets-"))
                    .anyMatch(p -> Files.exists(p.resolve("identity-key")));
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /**
     * Saves what the screen shows where {@code window} is, once painted: taken from the root
     * window, as a person sees it (a window's own image keeps what another window covered). A
     * record for people, not a check: what the test asserts it checks otherwise.
     */
    static void screen(Path output, String name, String window) throws Exception {
        String crop = crop(window);
        Path file = Files.createDirectories(output.resolve("screenshots")).resolve(name);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        do {
            exec("import", "-window", "root", "-crop", crop, "+repage", file.toString());
            if (Integer.parseInt(exec("identify", "-format", "%k", file.toString()).strip()) >= 16) {
                return;
            }
            Thread.sleep(250);
        } while (System.nanoTime() < deadline);
        System.out.println("screenshot " + file + ": window " + window + " not painted yet");
    }

    /** A digest of what the screen shows where {@code window} is. */
    private static String look(String window) throws Exception {
        return exec("import", "-window", "root", "-crop", crop(window), "+repage", "-format", "%#", "info:").strip();
    }

    /**
     * Waits until what the screen shows where {@code window} is differs from {@code before} and
     * then stays the same for {@value #SETTLED_MS} ms: the window has answered and been painted.
     * Gives up after {@link #WAIT_SECONDS}; the screenshot that follows is a record, not a check.
     */
    private static void awaitChange(String window, String before) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        String last = before;
        long sameSince = 0;
        while (System.nanoTime() < deadline) {
            String now = look(window);
            if (now.equals(before) || !now.equals(last)) {
                last = now;
                sameSince = System.nanoTime();
            } else if (System.nanoTime() - sameSince >= TimeUnit.MILLISECONDS.toNanos(SETTLED_MS)) {
                return;
            }
            Thread.sleep(100);
        }
        System.out.println("window " + window + " did not change and settle in " + WAIT_SECONDS + " s");
    }

    /** The part of the root window that {@code window} covers, as ImageMagick's geometry. */
    private static String crop(String window) throws Exception {
        String info = exec("xwininfo", "-id", window);
        return geometry(info, "Width") + "x" + geometry(info, "Height") + "+" + geometry(info, "Absolute upper-left X")
                + "+" + geometry(info, "Absolute upper-left Y");
    }

    static int geometry(String xwininfo, String field) {
        java.util.regex.Matcher m = Pattern.compile(Pattern.quote(field) + ":\\s+(-?\\d+)").matcher(xwininfo);
        assertTrue(m.find(), field + " in " + xwininfo);
        return Integer.parseInt(m.group(1));
    }

    private static void type(String window, String text) throws Exception {
        exec("xdotool", "windowfocus", "--sync", window);
        exec("xdotool", "type", "--delay", "20", text);
    }

    static String exec(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), String.join(" ", command) + " hangs");
        assertEquals(0, p.exitValue(), String.join(" ", command) + " failed:\n" + out);
        return out;
    }

    /** Waits up to {@code seconds} for {@code condition}; whether it came. */
    private static boolean waitUntil(java.util.function.BooleanSupplier condition, long seconds)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(100);
        }
        return true;
    }
}
