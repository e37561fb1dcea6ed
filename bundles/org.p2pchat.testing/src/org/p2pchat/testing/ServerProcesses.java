package org.p2pchat.testing;

import java.util.concurrent.TimeUnit;

/** Stopping the servers the tests start (coturn, opentracker): politely first, then for sure. */
final class ServerProcesses {

    private ServerProcesses() {
    }

    /** SIGTERM, then SIGKILL if it has not ended within 5 s. */
    static void stop(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
