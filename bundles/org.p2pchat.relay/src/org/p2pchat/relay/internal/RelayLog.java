package org.p2pchat.relay.internal;

import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/** The relay's log on stdout: one line per event, {@code <UTC time> <LEVEL> <message>}. */
final class RelayLog {

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSX").withZone(ZoneOffset.UTC);

    private final PrintStream out;

    RelayLog(PrintStream out) {
        this.out = out;
    }

    void info(String message) {
        line("INFO", message, null);
    }

    void warn(String message) {
        line("WARN", message, null);
    }

    void error(String message) {
        line("ERROR", message, null);
    }

    /** A line, followed by the stack trace of {@code thrown} if there is one (an unexpected failure). */
    synchronized void line(String level, String message, Throwable thrown) {
        out.println(TIME.format(Instant.now()) + " " + level + " " + message);
        if (thrown != null) {
            thrown.printStackTrace(out);
        }
    }

    /**
     * Sends java.util.logging here, and with it {@link System.Logger}, which the rendezvous service
     * logs through: otherwise its warnings would go to stderr in another format.
     */
    void captureJavaLogging() {
        Logger root = Logger.getLogger("");
        for (Handler h : root.getHandlers()) {
            root.removeHandler(h);
        }
        root.setLevel(Level.INFO);
        SimpleFormatter text = new SimpleFormatter();
        root.addHandler(new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (isLoggable(record)) {
                    line(level(record.getLevel()), record.getLoggerName() + ": " + text.formatMessage(record),
                            record.getThrown());
                }
            }

            @Override
            public void flush() {
                out.flush();
            }

            @Override
            public void close() {
                flush();
            }
        });
    }

    private static String level(Level level) {
        int v = level.intValue();
        return v >= Level.SEVERE.intValue() ? "ERROR" : v >= Level.WARNING.intValue() ? "WARN"
                : v >= Level.INFO.intValue() ? "INFO" : "DEBUG";
    }
}
