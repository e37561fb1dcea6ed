package org.slf4j.impl;

import org.slf4j.helpers.FormattingTuple;
import org.slf4j.helpers.MarkerIgnoringBase;
import org.slf4j.helpers.MessageFormatter;

/**
 * Bt's log, through the project's one logging API ({@link System.Logger}, so it lands in the
 * profile's log, never on the program's stdout or stderr): warnings and errors only, one line each,
 * since Bt logs routine events of a public swarm (and harmless errors at every shutdown, or when a
 * peer vanishes) that mean nothing to a user. {@code -Dp2pchat.bt.log=debug} (or info, trace)
 * shows more, with stack traces.
 */
final class BtLogger extends MarkerIgnoringBase {

    private static final long serialVersionUID = 1L;
    private static final int TRACE = 0;
    private static final int DEBUG = 1;
    private static final int INFO = 2;
    private static final int WARN = 3;
    private static final int ERROR = 4;
    private static final int THRESHOLD = switch (System.getProperty("p2pchat.bt.log", "warn")) {
        case "trace" -> TRACE;
        case "debug" -> DEBUG;
        case "info" -> INFO;
        case "error" -> ERROR;
        case "off" -> ERROR + 1;
        default -> WARN;
    };

    /** What Bt reports as errors on every normal shutdown of a runtime or connection. */
    private static final String[] ROUTINE = { "will stop accepting incoming connections",
            "Failed to set interest ops", "Failed to invoke message consumer" };

    private final System.Logger target;

    BtLogger(String name) {
        this.name = name;
        this.target = System.getLogger(name);
    }

    private void log(int level, String format, Object... args) {
        if (level < THRESHOLD) {
            return;
        }
        FormattingTuple t = MessageFormatter.arrayFormat(format, args);
        Throwable thrown = t.getThrowable();
        if (THRESHOLD > DEBUG && isRoutine(t.getMessage() + " " + thrown)) {
            return;
        }
        System.Logger.Level to = switch (level) {
            case TRACE -> System.Logger.Level.TRACE;
            case DEBUG -> System.Logger.Level.DEBUG;
            case INFO -> System.Logger.Level.INFO;
            case WARN -> System.Logger.Level.WARNING;
            default -> System.Logger.Level.ERROR;
        };
        if (thrown != null && THRESHOLD <= DEBUG) {
            target.log(to, t.getMessage(), thrown);
        } else {
            target.log(to, t.getMessage() + (thrown != null ? " (" + thrown + ")" : ""));
        }
    }

    private static boolean isRoutine(String text) {
        for (String r : ROUTINE) {
            if (text.contains(r)) {
                return true;
            }
        }
        return false;
    }

    private void log(int level, String msg, Throwable t) {
        log(level, msg, new Object[] { t });
    }

    @Override public boolean isTraceEnabled() { return THRESHOLD <= TRACE; }
    @Override public void trace(String msg) { log(TRACE, msg); }
    @Override public void trace(String format, Object arg) { log(TRACE, format, arg); }
    @Override public void trace(String format, Object a, Object b) { log(TRACE, format, a, b); }
    @Override public void trace(String format, Object... args) { log(TRACE, format, args); }
    @Override public void trace(String msg, Throwable t) { log(TRACE, msg, t); }

    @Override public boolean isDebugEnabled() { return THRESHOLD <= DEBUG; }
    @Override public void debug(String msg) { log(DEBUG, msg); }
    @Override public void debug(String format, Object arg) { log(DEBUG, format, arg); }
    @Override public void debug(String format, Object a, Object b) { log(DEBUG, format, a, b); }
    @Override public void debug(String format, Object... args) { log(DEBUG, format, args); }
    @Override public void debug(String msg, Throwable t) { log(DEBUG, msg, t); }

    @Override public boolean isInfoEnabled() { return THRESHOLD <= INFO; }
    @Override public void info(String msg) { log(INFO, msg); }
    @Override public void info(String format, Object arg) { log(INFO, format, arg); }
    @Override public void info(String format, Object a, Object b) { log(INFO, format, a, b); }
    @Override public void info(String format, Object... args) { log(INFO, format, args); }
    @Override public void info(String msg, Throwable t) { log(INFO, msg, t); }

    @Override public boolean isWarnEnabled() { return THRESHOLD <= WARN; }
    @Override public void warn(String msg) { log(WARN, msg); }
    @Override public void warn(String format, Object arg) { log(WARN, format, arg); }
    @Override public void warn(String format, Object a, Object b) { log(WARN, format, a, b); }
    @Override public void warn(String format, Object... args) { log(WARN, format, args); }
    @Override public void warn(String msg, Throwable t) { log(WARN, msg, t); }

    @Override public boolean isErrorEnabled() { return THRESHOLD <= ERROR; }
    @Override public void error(String msg) { log(ERROR, msg); }
    @Override public void error(String format, Object arg) { log(ERROR, format, arg); }
    @Override public void error(String format, Object a, Object b) { log(ERROR, format, a, b); }
    @Override public void error(String format, Object... args) { log(ERROR, format, args); }
    @Override public void error(String msg, Throwable t) { log(ERROR, msg, t); }
}
