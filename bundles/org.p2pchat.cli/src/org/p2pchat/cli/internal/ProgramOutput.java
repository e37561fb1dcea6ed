package org.p2pchat.cli.internal;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.logging.StreamHandler;

/**
 * Where the command line prints what it has to say. The start script hands the real stdout over
 * as a file descriptor of its own ({@value #PROPERTY}, e.g. {@code /dev/fd/3}) and points the
 * JVM's stdout at the profile's log: so libwebrtc's native messages, Equinox's log and Java
 * logging never reach the program's output (which with {@code --json} must be JSON lines only),
 * nor the chat on stderr.
 */
final class ProgramOutput {

    /** The system property naming the program's output, set by the start script. */
    static final String PROPERTY = "p2pchat.cli.output";

    private ProgramOutput() {
    }

    /**
     * The program's output; once it is apart from the JVM's stdout, Java logging goes to that
     * stdout (the log) too. Without the start script (or if the output cannot be opened) it is
     * stdout, as before.
     */
    static PrintStream open() {
        String path = System.getProperty(PROPERTY, "");
        if (!path.isBlank()) {
            try {
                // Appending, so "p2pchat cli ... >> file" adds to the file as the shell promised.
                PrintStream out = new PrintStream(new FileOutputStream(path, true), true, StandardCharsets.UTF_8);
                logToJvmStdout();
                return out;
            } catch (IOException e) {
                System.err.println("p2pchat cli: cannot write to " + path + " (" + e.getMessage()
                        + "); printing to the log's stream instead.");
            }
        }
        return new PrintStream(System.out, true, StandardCharsets.UTF_8);
    }

    /** Every Java logging record to the JVM's stdout (the start script's log, or stderr with --verbose). */
    private static void logToJvmStdout() {
        Logger root = Logger.getLogger("");
        for (Handler h : root.getHandlers()) {
            root.removeHandler(h);
        }
        root.addHandler(new StreamHandler(System.out, new SimpleFormatter()) {
            @Override
            public synchronized void publish(LogRecord record) {
                super.publish(record);
                flush(); // a crash must not lose the last records
            }
        });
    }
}
