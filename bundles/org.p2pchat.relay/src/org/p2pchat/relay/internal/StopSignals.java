package org.p2pchat.relay.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Turns SIGTERM and SIGINT into an orderly stop. The JVM's own handlers would exit with 143 or
 * 130 after the shutdown hooks; with these the application returns normally and the process exits
 * with 0, which is what service managers take for a clean stop.
 */
final class StopSignals {

    private StopSignals() {
    }

    /**
     * Calls {@code onSignal} with "SIGTERM" or "SIGINT" when one arrives.
     *
     * @return the signals handled; empty where the JVM does not allow it (sun.misc missing, -Xrs),
     *         and then only the shutdown hook stops the relay
     */
    static List<String> install(Consumer<String> onSignal) {
        List<String> installed = new ArrayList<>();
        for (String name : List.of("TERM", "INT")) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> onSignal.accept("SIG" + signal.getName()));
                installed.add("SIG" + name);
            } catch (IllegalArgumentException | LinkageError e) {
                // Not ours to handle here; the JVM's default (shutdown hooks, then exit) applies.
            }
        }
        return installed;
    }
}
