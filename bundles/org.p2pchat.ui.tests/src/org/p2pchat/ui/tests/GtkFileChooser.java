package org.p2pchat.ui.tests;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Drives GTK's file chooser with xdotool, as a person picks a file: from another thread than the
 * UI thread that runs the dialog (in this process or in the desktop client's).
 */
final class GtkFileChooser {

    private GtkFileChooser() {
    }

    /**
     * Types {@code file} into the location field of the chooser whose title matches {@code title}
     * (a regular expression) and presses Return until the chooser is gone. GTK may replace the chooser's window while it opens, and
     * the first Return may only close the field's completion list: each step looks again.
     */
    static String choose(String title, Path file) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String typedInto = null;
        try {
            while (System.nanoTime() < deadline) {
                String window = visible(title);
                if (window == null) {
                    if (typedInto != null) {
                        return "chosen";
                    }
                } else {
                    try {
                        xdotool(30, "windowfocus", "--sync", window);
                        if (!window.equals(typedInto)) {
                            xdotool(30, "key", "--clearmodifiers", "ctrl+l"); // the location field
                            xdotool(30, "type", "--delay", "20", file.toString());
                            typedInto = window;
                        } else {
                            xdotool(30, "key", "Return");
                        }
                    } catch (IllegalStateException replaced) {
                        // the window went away between the look and the key: look again
                    }
                }
                Thread.sleep(500); // one step is handled before the next
            }
            throw new IllegalStateException("the file chooser did not take the file within 60 s");
        } catch (Exception e) {
            try {
                xdotool(30, "key", "Escape"); // never leave the UI thread in the dialog
            } catch (Exception ignored) {
                // the assertion on the result says what failed
            }
            return "failed: " + e;
        }
    }

    /**
     * As {@link #choose}, for a save dialog whose name field is filled in already: what is in the
     * field is selected first, so the typed path replaces it.
     */
    static String save(String title, Path file) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String typedInto = null;
        try {
            while (System.nanoTime() < deadline) {
                String window = visible(title);
                if (window == null) {
                    if (typedInto != null) {
                        return "chosen";
                    }
                } else {
                    try {
                        xdotool(30, "windowfocus", "--sync", window);
                        if (!window.equals(typedInto)) {
                            xdotool(30, "key", "--clearmodifiers", "ctrl+a");
                            xdotool(30, "type", "--delay", "20", file.toString());
                            typedInto = window;
                        } else {
                            xdotool(30, "key", "Return");
                        }
                    } catch (IllegalStateException replaced) {
                        // the window went away between the look and the key: look again
                    }
                }
                Thread.sleep(500);
            }
            throw new IllegalStateException("the save dialog did not take the file within 60 s");
        } catch (Exception e) {
            try {
                xdotool(30, "key", "Escape");
            } catch (Exception ignored) {
                // the assertion on the result says what failed
            }
            return "failed: " + e;
        }
    }

    /** The visible window called {@code title}, or null. */
    static String visible(String title) throws Exception {
        Process p = new ProcessBuilder("xdotool", "search", "--onlyvisible", "--name", "^" + title + " ?$")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        p.waitFor(30, TimeUnit.SECONDS);
        return p.exitValue() != 0 || out.isEmpty() ? null : out.split("\\s+")[out.split("\\s+").length - 1];
    }

    static String xdotool(long seconds, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("xdotool"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " did not finish within " + seconds + " s");
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
        }
        return out;
    }
}
