package org.p2pchat.cli.internal;

import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

import com.google.gson.JsonObject;

/**
 * Prints what happens, either for people (plain lines) or for scripts (one JSON object a line on
 * stdout). Synchronized: transport threads and the input loop print at once.
 */
final class EventPrinter {

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    private final PrintStream out;
    private final PrintStream err;
    private final boolean json;

    EventPrinter(PrintStream out, PrintStream err, boolean json) {
        this.out = out;
        this.err = err;
        this.json = json;
    }

    /** An event; {@code human} is what a person sees, {@code fields} what a script gets. */
    synchronized void event(String name, String human, Object... fields) {
        if (json) {
            JsonObject o = new JsonObject();
            o.addProperty("event", name);
            for (int i = 0; i + 1 < fields.length; i += 2) {
                Object v = fields[i + 1];
                if (v instanceof Number n) {
                    o.addProperty((String) fields[i], n);
                } else if (v instanceof Boolean b) {
                    o.addProperty((String) fields[i], b);
                } else {
                    o.addProperty((String) fields[i], v == null ? null : v.toString());
                }
            }
            out.println(o);
            out.flush();
        } else if (human != null) {
            out.println(human);
            out.flush();
        }
    }

    /** A problem the user should see; in JSON mode also an event. */
    synchronized void error(String message) {
        if (json) {
            event("error", null, "message", message);
        } else {
            err.println("! " + message);
            err.flush();
        }
    }

    /** Guidance for a person; scripts do not need it. */
    synchronized void hint(String text) {
        if (!json) {
            err.println(text);
            err.flush();
        }
    }

    static String clock(long epochMillis) {
        return CLOCK.format(Instant.ofEpochMilli(epochMillis));
    }
}
