package org.p2pchat.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A window manager on the test display, as every user has one: windows get frames, positions and
 * focus from it, and a window's bounds then include its frame. Xvfb alone has none, and SWT then
 * guesses a frame that nobody draws (a picture of a window's bounds shows black strips). Starts
 * Debian's openbox (the test command installs it) unless the display already has a window
 * manager; {@link #close()} stops only one it started, since later tests of the same run share the
 * display.
 */
public final class WindowManager implements AutoCloseable {

    private final Process process;

    private WindowManager(Process process) {
        this.process = process;
    }

    /** Makes sure {@code $DISPLAY} has a window manager; waits until it manages windows. */
    public static WindowManager ensure() throws IOException, InterruptedException {
        if (System.getenv("DISPLAY") == null) {
            throw new IllegalStateException("DISPLAY is not set: run the tests under xvfb-run");
        }
        if (running()) {
            return new WindowManager(null);
        }
        Path openbox = Path.of("/usr/bin/openbox");
        if (!Files.isExecutable(openbox)) {
            throw new IllegalStateException("no window manager: openbox is not installed (apt-get install openbox); "
                    + "./run-tests.sh installs it");
        }
        Process p = new ProcessBuilder(openbox.toString(), "--sm-disable").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        WindowManager manager = new WindowManager(p);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!running()) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                manager.close();
                throw new IllegalStateException("openbox did not start managing the display " + System.getenv("DISPLAY"));
            }
            Thread.sleep(50);
        }
        return manager;
    }

    /** Whether a window manager announces itself on the root window (EWMH). */
    private static boolean running() throws IOException, InterruptedException {
        Process xprop = new ProcessBuilder("xprop", "-root", "_NET_SUPPORTING_WM_CHECK").redirectErrorStream(true).start();
        String out = new String(xprop.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        xprop.waitFor(10, TimeUnit.SECONDS);
        return out.contains("window id");
    }

    @Override
    public void close() {
        if (process != null) {
            ServerProcesses.stop(process);
        }
    }
}
