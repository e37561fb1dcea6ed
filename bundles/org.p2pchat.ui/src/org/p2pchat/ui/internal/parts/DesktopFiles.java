package org.p2pchat.ui.internal.parts;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.eclipse.swt.program.Program;

/**
 * Opens received files with the desktop: a file with its program, a folder in the file manager.
 * Tests put a launcher of their own in its place ({@link #use}), so they see what would be opened
 * without starting a desktop program.
 */
public final class DesktopFiles {

    /** Hands a path to the desktop. */
    public interface Launcher {
        /** Opens {@code path} (a file with its program, a folder in the file manager); false if nothing could. */
        boolean launch(Path path);
    }

    /** The desktop's: SWT's program for the path, else {@code xdg-open} (a folder opens in the file manager). */
    private static final Launcher DESKTOP = path -> {
        if (Program.launch(path.toString())) {
            return true;
        }
        try {
            // Its words are not ours to print: stdout is the program's output.
            new ProcessBuilder(List.of("xdg-open", path.toString())).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            return true;
        } catch (IOException e) {
            return false;
        }
    };

    private static volatile Launcher launcher = DESKTOP;

    private DesktopFiles() {
    }

    /** Tests: launches go to {@code replacement}; null gives them back to the desktop. */
    public static void use(Launcher replacement) {
        launcher = replacement == null ? DESKTOP : replacement;
    }

    static boolean launch(Path path) {
        return launcher.launch(path);
    }
}
