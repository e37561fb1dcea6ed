package org.p2pchat.rendezvous;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.function.LongSupplier;

import org.p2pchat.rendezvous.internal.HttpFront;
import org.p2pchat.rendezvous.internal.Rendezvous;

/**
 * A running rendezvous ("DHT") service speaking the original web app's HTTP API
 * ({@code POST /register}, {@code GET /peers}, {@code POST /signal}, {@code GET /signal/:peerId},
 * {@code GET /health}). Start it with {@link #start}, stop it with {@link #close()}.
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
        return new RendezvousServer(HttpFront.start(address, new Rendezvous(limits, clockMillis)));
    }

    /** The address the server listens on, with the actual port. */
    public InetSocketAddress address() {
        return front.address();
    }

    /** Drops expired peers and signals now (this also happens by itself every few seconds). */
    public void sweep() {
        front.rendezvous().sweep();
    }

    /** Stops listening and waits up to a second for requests under way. */
    @Override
    public void close() {
        front.close();
    }
}
