package org.p2pchat.rendezvous;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.function.LongSupplier;

import org.p2pchat.rendezvous.internal.HttpFront;

/**
 * A running rendezvous ("DHT") service speaking the original web app's HTTP API
 * ({@code POST /register}, {@code GET /peers}, {@code POST /signal}, {@code GET /signal/:peerId},
 * {@code GET /health}) and the authenticated API with push delivery under {@code /v1} (the
 * bundle's API.md). Start it with {@link #start}, stop it with {@link #close()}.
 */
public final class RendezvousServer implements AutoCloseable {

    private final HttpFront front;

    private RendezvousServer(HttpFront front) {
        this.front = front;
    }

    /** Starts a server on {@code address} (port 0: an ephemeral port) with the system clock. */
    public static RendezvousServer start(InetSocketAddress address, RendezvousLimits limits) throws IOException {
        return start(address, limits, System::currentTimeMillis);
    }

    /**
     * Starts a server whose expiry, timestamps and rate limits follow {@code clockMillis}
     * (milliseconds since the epoch; tests pass a clock they can move).
     */
    public static RendezvousServer start(InetSocketAddress address, RendezvousLimits limits, LongSupplier clockMillis)
            throws IOException {
        return new RendezvousServer(HttpFront.start(address, limits, clockMillis, null, null));
    }

    /**
     * Starts a server speaking HTTPS with the key and certificate chain of a PKCS#12 key store
     * (null: plain HTTP, as {@link #start(InetSocketAddress, RendezvousLimits)}).
     *
     * @throws IOException if the port cannot be bound or the key store cannot be read
     */
    public static RendezvousServer start(InetSocketAddress address, RendezvousLimits limits, Tls tls)
            throws IOException {
        return new RendezvousServer(HttpFront.start(address, limits, System::currentTimeMillis, tls, null));
    }

    /**
     * Starts a server that also hands out short-lived credentials for {@code turn} on
     * {@code GET /v1/turn} (null: no TURN, as the other {@code start} methods), with {@code tls}
     * (null: plain HTTP) and {@code clockMillis}.
     *
     * @throws IOException if the port cannot be bound or the key store cannot be read
     */
    public static RendezvousServer start(InetSocketAddress address, RendezvousLimits limits, LongSupplier clockMillis,
            Tls tls, TurnService turn) throws IOException {
        return new RendezvousServer(HttpFront.start(address, limits, clockMillis, tls, turn));
    }

    /** The address the server listens on, with the actual port. */
    public InetSocketAddress address() {
        return front.address();
    }

    /**
     * The id this service made at random when it started, published in {@code GET /v1/info}: every
     * {@code /v1} request is signed for it, so a request signed for another service (or for this
     * one before a restart) is refused.
     */
    public String serviceId() {
        return front.serviceId();
    }

    /** Drops expired peers, signals and nonces now (this also happens by itself every few seconds). */
    public void sweep() {
        front.sweep();
    }

    /** What the service holds right now. */
    public Statistics statistics() {
        return front.statistics();
    }

    /** Ends waiting fetches (503), stops listening and waits up to a second for requests under way. */
    @Override
    public void close() {
        front.close();
    }

    /**
     * TLS for the service: a PKCS#12 key store with the server's private key and certificate
     * chain, and its password.
     */
    public record Tls(Path keyStore, String password) {
    }

    /**
     * What a service holds at one moment.
     *
     * @param peers registered peers of the legacy API
     * @param v1Peers registered peers of the authenticated API
     * @param queuedSignals signals waiting to be fetched, both APIs
     * @param queuedSignalBytes what the queued signals are charged (the heap they hold), both APIs'
     *                          budgets ({@link RendezvousLimits#maxQueuedSignalBytes()} each) together
     * @param waitingFetches {@code GET /v1/signals?wait=N} requests held open
     * @param rememberedNonces nonces of authenticated requests remembered against replay
     * @param sessions open sessions of {@code /v1} peers (at most one per registered peer)
     * @param signatureChecks Ed25519 signatures of requests checked since the start (registrations
     *                        that open a session, and requests of clients without one)
     */
    public record Statistics(int peers, int v1Peers, long queuedSignals, long queuedSignalBytes, int waitingFetches,
            int rememberedNonces, int sessions, long signatureChecks) {
    }
}
