package org.p2pchat.rendezvous;

/**
 * The bounds a rendezvous server enforces. Every limit is finite so that no client can make the
 * service grow without bound; {@link #DEFAULTS} suits a public service. Build variations with
 * {@link #builder()} or {@link #toBuilder()}.
 *
 * @param maxBodyBytes largest request body accepted (413 above it), both APIs
 * @param maxIdLength longest legacy peer id, name, or signal address in characters (400 above it)
 * @param maxPeers registered peers at once in each API (legacy and {@code /v1} count separately); a
 *        new peer beyond it gets 503 (re-registering still works)
 * @param maxSignalsPerPeer signals queued for one recipient; the next one gets 429 until it fetches
 * @param maxSignalsTotal signals queued over all recipients, in each API separately (the legacy API
 *        cannot use up the room of {@code /v1} signals, nor {@code /v1} the legacy API's); the next one
 *        gets 503
 * @param peerTtlMillis a peer that has not re-registered (or, in {@code /v1}, fetched) for this long
 *        is gone (the original: 120 s)
 * @param signalTtlMillis a queued legacy signal older than this is dropped unread
 * @param requestsPerSecond sustained requests per client address per second; 0 disables rate limiting
 *        per address
 * @param requestBurst requests a client address may send at once before the rate applies
 * @param maxTrackedAddresses client addresses tracked by the rate limiter; more share one bucket
 * @param peerListMaxAgeMillis the cached answer of the legacy {@code GET /peers} is rebuilt at most this
 *        often
 * @param maxQueuedSignalBytes heap bytes of all queued signals, in each API separately (a signal is
 *        charged what the service keeps of it: its strings as the JVM stores them plus a fixed
 *        overhead); the next one gets 503
 * @param v1SignalTtlMillis a queued {@code /v1} signal older than this is dropped unread
 * @param requestsPerKeyPerSecond sustained signed requests per identity key per second; 0
 *        disables rate limiting per key
 * @param requestBurstPerKey signed requests one key may send at once before the rate applies
 * @param maxTrackedKeys identity keys tracked by the per-key rate limiter; more share one bucket
 * @param maxClockSkewMillis how far a signed request's timestamp may be from the service's clock
 * @param maxRememberedNonces nonces of accepted signed requests remembered at once (each until its
 *        request's timestamp leaves the time window); beyond it signed requests get 503
 * @param maxWaitingFetches {@code GET /v1/signals?wait=N} requests held open at once; the next one
 *        gets 503. A waiting fetch holds no thread and no buffer, only its open connection
 * @param legacyPeerListMax peers in the answer of the legacy {@code GET /peers}, the most recently
 *        seen first; 0: all of them (the original's whole directory, megabytes at 100,000 peers)
 * @param maxQueuedSignalBytesPerAddress the share of {@code maxQueuedSignalBytes} the signals sent
 *        from one client address (IPv6: one /64) may hold, in each API separately; the next one gets
 *        429, so that one address cannot fill an API's budget for everyone else
 * @param maxWaitingFetchesPerAddress the share of {@code maxWaitingFetches} one client address (IPv6:
 *        one /64) may hold; the next one gets 429, so that throwaway keys from one address cannot
 *        take the pool from everyone else
 * @param maxConnections open connections at once; beyond it the service stops accepting until some close
 * @param maxConnectionsPerAddress open connections from one client address; the ones beyond are closed at once
 * @param requestTimeoutMillis a request (headers and body) must arrive within this long of its connection
 *        opening or of its first byte; a connection that is late is closed (slow and unfinished requests)
 * @param idleTimeoutMillis a connection with no byte in or out for this long is closed (a waiting
 *        fetch adds its wait to it)
 * @param maxRequestHeaderBytes largest request line and headers together; larger ones get 431
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
        long peerListMaxAgeMillis,
        long maxQueuedSignalBytes,
        long v1SignalTtlMillis,
        double requestsPerKeyPerSecond,
        int requestBurstPerKey,
        int maxTrackedKeys,
        long maxClockSkewMillis,
        int maxRememberedNonces,
        int maxWaitingFetches,
        int legacyPeerListMax,
        long maxQueuedSignalBytesPerAddress,
        int maxWaitingFetchesPerAddress,
        int maxConnections,
        int maxConnectionsPerAddress,
        long requestTimeoutMillis,
        long idleTimeoutMillis,
        int maxRequestHeaderBytes) {

    /** Defaults for a public service. */
    public static final RendezvousLimits DEFAULTS = new RendezvousLimits(
            64 * 1024, 256, 200_000, 256, 1_000_000, 120_000, 300_000, 100, 200, 100_000, 500,
            64L * 1024 * 1024, 60_000, 20, 60, 100_000, 30_000, 1_000_000, 5_000, 1_000, 1024 * 1024, 32,
            20_000, 64, 10_000, 30_000, 8 * 1024);

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
        positive("maxQueuedSignalBytes", maxQueuedSignalBytes);
        positive("v1SignalTtlMillis", v1SignalTtlMillis);
        positive("requestBurstPerKey", requestBurstPerKey);
        positive("maxTrackedKeys", maxTrackedKeys);
        positive("maxClockSkewMillis", maxClockSkewMillis);
        positive("maxRememberedNonces", maxRememberedNonces);
        positive("maxWaitingFetches", maxWaitingFetches);
        positive("maxQueuedSignalBytesPerAddress", maxQueuedSignalBytesPerAddress);
        positive("maxWaitingFetchesPerAddress", maxWaitingFetchesPerAddress);
        positive("maxConnections", maxConnections);
        positive("maxConnectionsPerAddress", maxConnectionsPerAddress);
        positive("requestTimeoutMillis", requestTimeoutMillis);
        positive("idleTimeoutMillis", idleTimeoutMillis);
        positive("maxRequestHeaderBytes", maxRequestHeaderBytes);
        if (!(requestsPerSecond >= 0 && requestsPerKeyPerSecond >= 0) || peerListMaxAgeMillis < 0) {
            throw new IllegalArgumentException(
                    "requestsPerSecond, requestsPerKeyPerSecond and peerListMaxAgeMillis must not be negative");
        }
        if (legacyPeerListMax < 0) {
            throw new IllegalArgumentException("legacyPeerListMax must not be negative, was " + legacyPeerListMax);
        }
    }

    /** The legacy limits only; the others take their {@link #DEFAULTS} values. */
    public RendezvousLimits(int maxBodyBytes, int maxIdLength, int maxPeers, int maxSignalsPerPeer,
            int maxSignalsTotal, long peerTtlMillis, long signalTtlMillis, double requestsPerSecond,
            int requestBurst, int maxTrackedAddresses, long peerListMaxAgeMillis) {
        this(maxBodyBytes, maxIdLength, maxPeers, maxSignalsPerPeer, maxSignalsTotal, peerTtlMillis,
                signalTtlMillis, requestsPerSecond, requestBurst, maxTrackedAddresses, peerListMaxAgeMillis,
                DEFAULTS.maxQueuedSignalBytes, DEFAULTS.v1SignalTtlMillis, DEFAULTS.requestsPerKeyPerSecond,
                DEFAULTS.requestBurstPerKey, DEFAULTS.maxTrackedKeys, DEFAULTS.maxClockSkewMillis,
                DEFAULTS.maxRememberedNonces, DEFAULTS.maxWaitingFetches, DEFAULTS.legacyPeerListMax,
                DEFAULTS.maxQueuedSignalBytesPerAddress, DEFAULTS.maxWaitingFetchesPerAddress,
                DEFAULTS.maxConnections, DEFAULTS.maxConnectionsPerAddress, DEFAULTS.requestTimeoutMillis,
                DEFAULTS.idleTimeoutMillis, DEFAULTS.maxRequestHeaderBytes);
    }

    /** These limits with rate limiting off, per address and per key (loopback benchmarks, trusted networks). */
    public RendezvousLimits withoutRateLimit() {
        return toBuilder().requestsPerSecond(0).requestsPerKeyPerSecond(0).build();
    }

    /** A builder starting from {@link #DEFAULTS}. */
    public static Builder builder() {
        return DEFAULTS.toBuilder();
    }

    /** A builder starting from these limits. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    private static void positive(String name, double value) {
        if (!(value > 0)) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }

    /** Sets limits by name; {@link #build()} checks them. */
    public static final class Builder {
        private int maxBodyBytes;
        private int maxIdLength;
        private int maxPeers;
        private int maxSignalsPerPeer;
        private int maxSignalsTotal;
        private long peerTtlMillis;
        private long signalTtlMillis;
        private double requestsPerSecond;
        private int requestBurst;
        private int maxTrackedAddresses;
        private long peerListMaxAgeMillis;
        private long maxQueuedSignalBytes;
        private long v1SignalTtlMillis;
        private double requestsPerKeyPerSecond;
        private int requestBurstPerKey;
        private int maxTrackedKeys;
        private long maxClockSkewMillis;
        private int maxRememberedNonces;
        private int maxWaitingFetches;
        private int legacyPeerListMax;
        private long maxQueuedSignalBytesPerAddress;
        private int maxWaitingFetchesPerAddress;
        private int maxConnections;
        private int maxConnectionsPerAddress;
        private long requestTimeoutMillis;
        private long idleTimeoutMillis;
        private int maxRequestHeaderBytes;

        private Builder(RendezvousLimits from) {
            maxBodyBytes = from.maxBodyBytes;
            maxIdLength = from.maxIdLength;
            maxPeers = from.maxPeers;
            maxSignalsPerPeer = from.maxSignalsPerPeer;
            maxSignalsTotal = from.maxSignalsTotal;
            peerTtlMillis = from.peerTtlMillis;
            signalTtlMillis = from.signalTtlMillis;
            requestsPerSecond = from.requestsPerSecond;
            requestBurst = from.requestBurst;
            maxTrackedAddresses = from.maxTrackedAddresses;
            peerListMaxAgeMillis = from.peerListMaxAgeMillis;
            maxQueuedSignalBytes = from.maxQueuedSignalBytes;
            v1SignalTtlMillis = from.v1SignalTtlMillis;
            requestsPerKeyPerSecond = from.requestsPerKeyPerSecond;
            requestBurstPerKey = from.requestBurstPerKey;
            maxTrackedKeys = from.maxTrackedKeys;
            maxClockSkewMillis = from.maxClockSkewMillis;
            maxRememberedNonces = from.maxRememberedNonces;
            maxWaitingFetches = from.maxWaitingFetches;
            legacyPeerListMax = from.legacyPeerListMax;
            maxQueuedSignalBytesPerAddress = from.maxQueuedSignalBytesPerAddress;
            maxWaitingFetchesPerAddress = from.maxWaitingFetchesPerAddress;
            maxConnections = from.maxConnections;
            maxConnectionsPerAddress = from.maxConnectionsPerAddress;
            requestTimeoutMillis = from.requestTimeoutMillis;
            idleTimeoutMillis = from.idleTimeoutMillis;
            maxRequestHeaderBytes = from.maxRequestHeaderBytes;
        }

        public Builder maxBodyBytes(int value) {
            maxBodyBytes = value;
            return this;
        }

        public Builder maxIdLength(int value) {
            maxIdLength = value;
            return this;
        }

        public Builder maxPeers(int value) {
            maxPeers = value;
            return this;
        }

        public Builder maxSignalsPerPeer(int value) {
            maxSignalsPerPeer = value;
            return this;
        }

        public Builder maxSignalsTotal(int value) {
            maxSignalsTotal = value;
            return this;
        }

        public Builder peerTtlMillis(long value) {
            peerTtlMillis = value;
            return this;
        }

        public Builder signalTtlMillis(long value) {
            signalTtlMillis = value;
            return this;
        }

        public Builder requestsPerSecond(double value) {
            requestsPerSecond = value;
            return this;
        }

        public Builder requestBurst(int value) {
            requestBurst = value;
            return this;
        }

        public Builder maxTrackedAddresses(int value) {
            maxTrackedAddresses = value;
            return this;
        }

        public Builder peerListMaxAgeMillis(long value) {
            peerListMaxAgeMillis = value;
            return this;
        }

        public Builder maxQueuedSignalBytes(long value) {
            maxQueuedSignalBytes = value;
            return this;
        }

        public Builder v1SignalTtlMillis(long value) {
            v1SignalTtlMillis = value;
            return this;
        }

        public Builder requestsPerKeyPerSecond(double value) {
            requestsPerKeyPerSecond = value;
            return this;
        }

        public Builder requestBurstPerKey(int value) {
            requestBurstPerKey = value;
            return this;
        }

        public Builder maxTrackedKeys(int value) {
            maxTrackedKeys = value;
            return this;
        }

        public Builder maxClockSkewMillis(long value) {
            maxClockSkewMillis = value;
            return this;
        }

        public Builder maxRememberedNonces(int value) {
            maxRememberedNonces = value;
            return this;
        }

        public Builder maxWaitingFetches(int value) {
            maxWaitingFetches = value;
            return this;
        }

        public Builder legacyPeerListMax(int value) {
            legacyPeerListMax = value;
            return this;
        }

        public Builder maxQueuedSignalBytesPerAddress(long value) {
            maxQueuedSignalBytesPerAddress = value;
            return this;
        }

        public Builder maxWaitingFetchesPerAddress(int value) {
            maxWaitingFetchesPerAddress = value;
            return this;
        }

        public Builder maxConnections(int value) {
            maxConnections = value;
            return this;
        }

        public Builder maxConnectionsPerAddress(int value) {
            maxConnectionsPerAddress = value;
            return this;
        }

        public Builder requestTimeoutMillis(long value) {
            requestTimeoutMillis = value;
            return this;
        }

        public Builder idleTimeoutMillis(long value) {
            idleTimeoutMillis = value;
            return this;
        }

        public Builder maxRequestHeaderBytes(int value) {
            maxRequestHeaderBytes = value;
            return this;
        }

        /** @throws IllegalArgumentException naming a limit that is out of range */
        public RendezvousLimits build() {
            return new RendezvousLimits(maxBodyBytes, maxIdLength, maxPeers, maxSignalsPerPeer, maxSignalsTotal,
                    peerTtlMillis, signalTtlMillis, requestsPerSecond, requestBurst, maxTrackedAddresses,
                    peerListMaxAgeMillis, maxQueuedSignalBytes, v1SignalTtlMillis, requestsPerKeyPerSecond,
                    requestBurstPerKey, maxTrackedKeys, maxClockSkewMillis, maxRememberedNonces, maxWaitingFetches,
                    legacyPeerListMax, maxQueuedSignalBytesPerAddress, maxWaitingFetchesPerAddress,
                    maxConnections, maxConnectionsPerAddress, requestTimeoutMillis,
                    idleTimeoutMillis, maxRequestHeaderBytes);
        }
    }
}
