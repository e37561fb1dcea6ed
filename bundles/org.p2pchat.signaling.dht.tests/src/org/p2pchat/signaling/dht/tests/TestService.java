package org.p2pchat.signaling.dht.tests;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;

import org.p2pchat.rendezvous.RendezvousLimits;
import org.p2pchat.rendezvous.RendezvousServer;
import org.p2pchat.testing.NetworkIsolation;

/**
 * The real rendezvous server on the test namespace's address, optionally behind a
 * {@link ServiceRelay}; stops and starts again on the same ports, as a restarted service would.
 */
final class TestService implements AutoCloseable {

    private static final RendezvousLimits LIMITS = RendezvousLimits.DEFAULTS.withoutRateLimit();

    private final InetAddress address;
    private final RendezvousLimits limits;
    private final boolean relayed;
    private RendezvousServer server;
    private ServiceRelay relay;
    private int serverPort;
    private int relayPort;
    private boolean hideAuthenticatedApi;

    private TestService(boolean relayed, boolean hideAuthenticatedApi) throws IOException {
        this(relayed, hideAuthenticatedApi, LIMITS);
    }

    private TestService(boolean relayed, boolean hideAuthenticatedApi, RendezvousLimits limits) throws IOException {
        this.limits = limits;
        this.address = InetAddress.getByName(NetworkIsolation.TEST_ADDRESS); // a literal: no name lookup
        this.relayed = relayed;
        this.hideAuthenticatedApi = hideAuthenticatedApi;
        start();
    }

    /** The server as it is. */
    static TestService direct() throws IOException {
        return new TestService(false, false);
    }

    /** The server as it is, with these limits. */
    static TestService direct(RendezvousLimits limits) throws IOException {
        return new TestService(false, false, limits);
    }

    /** The server behind a relay that hides its authenticated API: a service of the web app's kind. */
    static TestService legacyOnly() throws IOException {
        return new TestService(true, true);
    }

    /** The server behind a relay that passes everything on until told otherwise. */
    static TestService relayed() throws IOException {
        return new TestService(true, false);
    }

    synchronized void start() throws IOException {
        server = RendezvousServer.start(new InetSocketAddress(address, serverPort), limits);
        serverPort = server.address().getPort();
        if (relayed) {
            relay = new ServiceRelay(new InetSocketAddress(address, relayPort),
                    URI.create("http://" + NetworkIsolation.TEST_ADDRESS + ":" + serverPort));
            relay.hideAuthenticatedApi = hideAuthenticatedApi;
            relayPort = relay.address().getPort();
        }
    }

    /** Stops listening on every port of the service. */
    synchronized void stop() {
        if (relay != null) {
            relay.close();
            relay = null;
        }
        if (server != null) {
            server.close();
            server = null;
        }
    }

    /** The running server (null while stopped). */
    synchronized RendezvousServer server() {
        return server;
    }

    synchronized ServiceRelay relay() {
        return relay;
    }

    /** What clients are given. */
    synchronized URI uri() {
        return URI.create("http://" + NetworkIsolation.TEST_ADDRESS + ":" + (relayed ? relayPort : serverPort));
    }

    /** The server itself, past any relay. */
    synchronized URI serverUri() {
        return URI.create("http://" + NetworkIsolation.TEST_ADDRESS + ":" + serverPort);
    }

    @Override
    public void close() {
        stop();
    }
}
