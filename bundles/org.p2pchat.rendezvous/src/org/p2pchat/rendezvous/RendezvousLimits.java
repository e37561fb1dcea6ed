package org.p2pchat.rendezvous;

/**
 * The bounds a rendezvous server enforces. Every limit is finite so that no client can make the
 * service grow without bound; {@link #DEFAULTS} suits a public service.
 *
 * @param maxBodyBytes largest request body accepted (413 above it)
 * @param maxIdLength longest peer id, name, or signal address in characters (400 above it)
 * @param maxPeers registered peers at once; a new peer beyond it gets 503 (re-registering still works)
 * @param maxSignalsPerPeer signals queued for one recipient; the next one gets 429 until it fetches
 * @param maxSignalsTotal signals queued over all recipients; the next one gets 503
 * @param peerTtlMillis a peer that has not re-registered for this long is gone (the original: 120 s)
 * @param signalTtlMillis a queued signal older than this is dropped unread
 * @param requestsPerSecond sustained requests per client address per second; 0 disables rate limiting
 * @param requestBurst requests a client address may send at once before the rate applies
 * @param maxTrackedAddresses client addresses tracked by the rate limiter; more share one bucket
 * @param peerListMaxAgeMillis the cached {@code GET /peers} answer is rebuilt at most this often
 */
public record RendezvousLimits(
        int maxBodyBytes,
        int maxIdLength,
        int maxPeers,
        int maxSignalsPerPeer,
        int maxSignalsTotal,
        long peerTtlMillis,
        long signalTtlMillis,
        double requestsPerSecond,
        int requestBurst,
        int maxTrackedAddresses,
        long peerListMaxAgeMillis) {

    /** Defaults for a public service. */
    public static final RendezvousLimits DEFAULTS = new RendezvousLimits(
            64 * 1024, 256, 200_000, 256, 1_000_000, 120_000, 300_000, 100, 200, 100_000, 500);

    public RendezvousLimits {
        positive("maxBodyBytes", maxBodyBytes);
        positive("maxIdLength", maxIdLength);
        positive("maxPeers", maxPeers);
        positive("maxSignalsPerPeer", maxSignalsPerPeer);
        positive("maxSignalsTotal", maxSignalsTotal);
        positive("peerTtlMillis", peerTtlMillis);
        positive("signalTtlMillis", signalTtlMillis);
        positive("requestBurst", requestBurst);
        positive("maxTrackedAddresses", maxTrackedAddresses);
        if (requestsPerSecond < 0 || peerListMaxAgeMillis < 0) {
            throw new IllegalArgumentException("requestsPerSecond and peerListMaxAgeMillis must not be negative");
        }
    }

    /** These limits with rate limiting off (for loopback benchmarks and trusted networks). */
    public RendezvousLimits withoutRateLimit() {
        return new RendezvousLimits(maxBodyBytes, maxIdLength, maxPeers, maxSignalsPerPeer, maxSignalsTotal,
                peerTtlMillis, signalTtlMillis, 0, requestBurst, maxTrackedAddresses, peerListMaxAgeMillis);
    }

    private static void positive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }
}
