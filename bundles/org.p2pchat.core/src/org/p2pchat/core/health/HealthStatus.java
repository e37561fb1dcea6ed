package org.p2pchat.core.health;

import java.time.Duration;

/**
 * The outcome of one health check.
 *
 * @param level   how it went
 * @param summary one sentence for the user, e.g. "reachable, answered in 12 ms" or what failed
 * @param elapsed how long the check took
 */
public record HealthStatus(Level level, String summary, Duration elapsed) {

    public enum Level {
        /** The service answered as expected. */
        OK,
        /** It answered, but not as a working service would (e.g. STUN only where TURN was asked). */
        WARNING,
        /** No usable answer. */
        FAILED,
        /** This kind of service cannot be checked without using it for real. */
        UNKNOWN
    }

    public static HealthStatus ok(String summary, Duration elapsed) {
        return new HealthStatus(Level.OK, summary, elapsed);
    }

    public static HealthStatus failed(String summary, Duration elapsed) {
        return new HealthStatus(Level.FAILED, summary, elapsed);
    }
}
