package org.p2pchat.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.ui.tests.DesktopClientSmokeTest.ConsoleLog;

/**
 * The product's main window under a real window manager (the test display's openbox), restarted
 * on the same profile as a person would: a window maximized by double-clicking its title bar is
 * maximized again at the next start and un-maximizes to the size it had; bounds saved on a screen
 * that is gone (a monitor unplugged) come back onto the screen. Each state is photographed.
 */
class WindowStateEndToEndTest {

    private static final long WAIT_SECONDS = DesktopClientSmokeTest.WAIT_SECONDS;

    @Test
    void aMaximizedWindowIsMaximizedAgainAfterARestart(@TempDir Path profile) throws Exception {
        Path output = Path.of(DesktopClientSmokeTest.requiredProperty("p2pchat.test.output.dir"));
        int[] screen = screenSize();

        // First start, no saved state: the default size, on the screen.
        run(profile, output, "window-first", main -> {
            int[] geometry = geometry(main);
            assertFalse(maximized(main), "not maximized at the first start");
            assertTrue(geometry[2] <= 960 && geometry[3] <= 720, "the default size: " + java.util.Arrays.toString(geometry));
            assertOnScreen(geometry, screen);
            DesktopUnlockEndToEndTest.screen(output, "window-first-start.png", main);
            toggleMaximized(main);
            waitUntil(() -> maximized(main), "the window manager maximized the window");
            DesktopUnlockEndToEndTest.screen(output, "window-maximized.png", main);
        });
        Properties saved = saved(profile);
        assertEquals("true", saved.getProperty("maximized"), "saved maximized: " + saved);
        assertTrue(Integer.parseInt(saved.getProperty("width")) < screen[0], "the size before maximizing is kept: " + saved);

        // Second start: maximized again; un-maximizing gives back the size it had.
        run(profile, output, "window-restarted", main -> {
            waitUntil(() -> maximized(main), "the window is maximized again after the restart");
            int[] geometry = geometry(main);
            assertTrue(geometry[2] >= screen[0] - 20, "as wide as the screen: " + java.util.Arrays.toString(geometry));
            DesktopUnlockEndToEndTest.screen(output, "window-maximized-after-restart.png", main);
            toggleMaximized(main);
            waitUntil(() -> !maximized(main), "the window un-maximizes");
            waitUntil(() -> geometry(main)[2] < screen[0] - 100, "back to the size it had before");
            DesktopUnlockEndToEndTest.screen(output, "window-unmaximized-after-restart.png", main);
        });
        assertEquals("false", saved(profile).getProperty("maximized"), "saved un-maximized: " + saved(profile));
    }

    @Test
    void boundsOffTheScreenComeBackOntoIt(@TempDir Path profile) throws Exception {
        Path output = Path.of(DesktopClientSmokeTest.requiredProperty("p2pchat.test.output.dir"));
        int[] screen = screenSize();
        // Saved on a second monitor right of this one, which is gone now.
        Files.writeString(profile.resolve("window.properties"), "x=" + (screen[0] + 300) + "\ny=200\nwidth=800\nheight=600\n"
                + "maximized=false\n");
        run(profile, output, "window-offscreen", main -> {
            int[] geometry = geometry(main);
            assertOnScreen(geometry, screen);
            assertTrue(geometry[2] <= 800 && geometry[2] >= 700 && geometry[3] <= 600 && geometry[3] >= 500,
                    "the saved size (800 x 600 with its frame): " + java.util.Arrays.toString(geometry));
            DesktopUnlockEndToEndTest.screen(output, "window-800x600-back-on-screen.png", main);
        });
        Properties saved = saved(profile);
        assertTrue(Integer.parseInt(saved.getProperty("x")) < screen[0], "saved where it is now: " + saved);
    }

    private interface WindowCheck {
        void check(String window) throws Exception;
    }

    /** Starts the product on {@code profile}, runs {@code check} on its main window, quits with Ctrl+Q. */
    private static void run(Path profile, Path output, String name, WindowCheck check) throws Exception {
        Process client = DesktopClientSmokeTest.startClient(profile, output);
        try (ConsoleLog log = new ConsoleLog(client, output.resolve(name + "-console.log"))) {
            assertTrue(log.shown.await(WAIT_SECONDS, TimeUnit.SECONDS), "no window; output:\n" + log.text());
            String main = DesktopClientSmokeTest.viewableWindow(DesktopClientSmokeTest.MAIN_WINDOW);
            check.check(main);
            DesktopClientSmokeTest.press(main, "ctrl+q");
            assertTrue(client.waitFor(WAIT_SECONDS, TimeUnit.SECONDS), "Ctrl+Q did not quit; output:\n" + log.text());
            log.awaitEnd();
            assertEquals(0, client.exitValue(), "exit code; output:\n" + log.text());
        } finally {
            client.descendants().forEach(ProcessHandle::destroyForcibly);
            client.destroyForcibly();
        }
    }

    /** Double-clicks the window's title bar, which openbox answers by (un)maximizing it, as a person would. */
    private static void toggleMaximized(String window) throws Exception {
        int[] g = geometry(window);
        String extents = DesktopUnlockEndToEndTest.exec("xprop", "-id", window, "_NET_FRAME_EXTENTS");
        String[] values = extents.substring(extents.indexOf('=') + 1).split(",");
        int top = Integer.parseInt(values[2].strip());
        assertTrue(top > 0, "the window has a title bar: " + extents);
        DesktopUnlockEndToEndTest.exec("xdotool", "mousemove", "--sync", Integer.toString(g[0] + g[2] / 2),
                Integer.toString(g[1] - top / 2), "click", "--repeat", "2", "--delay", "80", "1");
    }

    private static boolean maximized(String window) {
        try {
            String state = DesktopUnlockEndToEndTest.exec("xprop", "-id", window, "_NET_WM_STATE");
            return state.contains("_NET_WM_STATE_MAXIMIZED_VERT") && state.contains("_NET_WM_STATE_MAXIMIZED_HORZ");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** x, y, width, height of the window's content on the screen. */
    private static int[] geometry(String window) {
        try {
            String info = DesktopUnlockEndToEndTest.exec("xwininfo", "-id", window);
            return new int[] {DesktopUnlockEndToEndTest.geometry(info, "Absolute upper-left X"),
                DesktopUnlockEndToEndTest.geometry(info, "Absolute upper-left Y"),
                DesktopUnlockEndToEndTest.geometry(info, "Width"), DesktopUnlockEndToEndTest.geometry(info, "Height")};
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static int[] screenSize() throws Exception {
        String info = DesktopUnlockEndToEndTest.exec("xwininfo", "-root");
        return new int[] {DesktopUnlockEndToEndTest.geometry(info, "Width"), DesktopUnlockEndToEndTest.geometry(info, "Height")};
    }

    private static void assertOnScreen(int[] g, int[] screen) {
        String where = java.util.Arrays.toString(g) + " on a screen of " + screen[0] + " x " + screen[1];
        assertTrue(g[0] >= 0 && g[1] >= 0 && g[0] + g[2] <= screen[0] && g[1] + g[3] <= screen[1], "on the screen: " + where);
    }

    private static Properties saved(Path profile) throws Exception {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(profile.resolve("window.properties"), StandardCharsets.UTF_8)) {
            p.load(in);
        }
        return p;
    }

    private static void waitUntil(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out: " + what);
            Thread.sleep(100);
        }
    }
}
