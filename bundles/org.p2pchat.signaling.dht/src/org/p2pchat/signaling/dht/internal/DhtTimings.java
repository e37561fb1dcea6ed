package org.p2pchat.signaling.dht.internal;

import java.time.Duration;
import java.util.Objects;

/**
 * How long the provider waits for what, and how often it talks to a service.
 *
 * @param answerTimeout      how long a connect waits for the peer's answer; a person has to accept
 * @param negotiationTimeout how long a peer's trickled candidates are still passed on once the exchange has its
 *                           answer (the session's negotiation is the client layer's)
 * @param requestTimeout     how long one ordinary HTTP request may take
 * @param longPollSeconds    how long the authenticated API may hold a signals fetch (at most 30)
 * @param legacyPollInterval pause between two mailbox polls on the legacy API (the web app: 2 s)
 * @param reregisterInterval longest time between two registrations (services forget a peer after 120 s)
 * @param firstRetry         first pause after a service failed; doubles up to {@code maxRetry}
 * @param maxRetry           longest pause between two attempts to reach a service
 */
public record DhtTimings(Duration answerTimeout, Duration negotiationTimeout, Duration requestTimeout,
        int longPollSeconds, Duration legacyPollInterval, Duration reregisterInterval, Duration firstRetry,
        Duration maxRetry) {

    /** For people: a peer has two minutes to accept; polling and retries stay well within the 120 s expiry. */
    public static final DhtTimings DEFAULTS = new DhtTimings(Duration.ofSeconds(120), Duration.ofSeconds(30),
            Duration.ofSeconds(10), 25, Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(1),
            Duration.ofSeconds(30));

    public DhtTimings {
        for (Duration d : new Duration[] { answerTimeout, negotiationTimeout, requestTimeout, legacyPollInterval,
                reregisterInterval, firstRetry, maxRetry }) {
            Objects.requireNonNull(d, "durations must not be null");
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("durations must be positive: " + d);
            }
        }
        if (longPollSeconds < 0 || longPollSeconds > 30) {
            throw new IllegalArgumentException("longPollSeconds must be 0..30: " + longPollSeconds);
        }
    }

    /** These timings with another answer timeout. */
    public DhtTimings withAnswerTimeout(Duration timeout) {
        return new DhtTimings(timeout, negotiationTimeout, requestTimeout, longPollSeconds, legacyPollInterval,
                reregisterInterval, firstRetry, maxRetry);
    }
}
