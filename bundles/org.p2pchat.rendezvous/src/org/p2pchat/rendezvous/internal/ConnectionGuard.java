package org.p2pchat.rendezvous.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.ssl.SslConnection;

/**
 * The two connection controls Jetty 12 core lacks: at most {@code maxPerAddress} open connections
 * per client address (an IPv6 client by its /64, as the rate limit counts; the ones beyond are
 * closed as they open), and a deadline for a request to
 * arrive: a connection must deliver a whole request (headers and body) within
 * {@code requestTimeoutMillis} of being opened or of the first byte of its next request (seen
 * within a second). Idle keep-alive connections that send nothing are left to Jetty's idle timeout.
 * {@link #check()} closes the late ones; the front calls it every second.
 */
final class ConnectionGuard implements Connection.Listener {

    /** What the guard knows of one connection; fields are written by the front and read by check(). */
    private static final class Tracked {
        final String client;
        /** Requests being handled (answer not yet sent); no deadline while one is. */
        final AtomicInteger handling = new AtomicInteger();
        /** Reading a request's body: the deadline applies from {@link #since}. */
        volatile boolean readingBody;
        /** When the connection opened, its last answer was sent, its next request began or its body started. */
        volatile long since;
        /** Bytes received up to {@link #since}; more than this means a request has begun. */
        volatile long bytesAtSince;
        /** No request yet, or the next one has begun to arrive: the deadline runs from {@link #since}. */
        volatile boolean expecting = true;

        Tracked(String client, long now) {
            this.client = client;
            this.since = now;
        }
    }

    private final int maxPerAddress;
    private final long requestTimeoutNanos;
    private final ConcurrentHashMap<Connection, Tracked> connections = new ConcurrentHashMap<>();
    /** Open connections per client ({@link RateLimiter#addressKey}: an address, or an IPv6 /64). */
    private final ConcurrentHashMap<String, AtomicInteger> perAddress = new ConcurrentHashMap<>();
    private final AtomicLong refusedOverCap = new AtomicLong();
    private final AtomicLong closedLate = new AtomicLong();

    ConnectionGuard(int maxPerAddress, long requestTimeoutMillis) {
        this.maxPerAddress = maxPerAddress;
        this.requestTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(requestTimeoutMillis);
    }

    @Override
    public void onOpened(Connection connection) {
        if (connection instanceof SslConnection) {
            return; // the HTTP connection on top of it is the one counted and checked
        }
        String client = RateLimiter.addressKey(address(connection.getEndPoint().getRemoteSocketAddress()));
        int open = perAddress.computeIfAbsent(client, a -> new AtomicInteger()).incrementAndGet();
        connections.put(connection, new Tracked(client, System.nanoTime()));
        if (open > maxPerAddress) {
            refusedOverCap.incrementAndGet();
            connection.getEndPoint().close();
        }
    }

    @Override
    public void onClosed(Connection connection) {
        Tracked tracked = connections.remove(connection);
        if (tracked != null) {
            perAddress.computeIfPresent(tracked.client, (a, count) -> count.decrementAndGet() <= 0 ? null : count);
        }
    }

    /** A request's headers are in; its body is read next. */
    void requestBegins(Connection connection) {
        Tracked tracked = connections.get(connection);
        if (tracked != null) {
            tracked.expecting = false;
            tracked.handling.incrementAndGet();
            tracked.since = System.nanoTime();
            tracked.readingBody = true;
        }
    }

    /** The request's body is read: handling it has no deadline here. */
    void bodyRead(Connection connection) {
        Tracked tracked = connections.get(connection);
        if (tracked != null) {
            tracked.readingBody = false;
        }
    }

    /** The rest of a refused body is read (and dropped) after the answer: under the deadline again. */
    void drainBegins(Connection connection) {
        Tracked tracked = connections.get(connection);
        if (tracked != null) {
            tracked.since = System.nanoTime();
            tracked.readingBody = true;
        }
    }

    /** The answer is sent: the next request's deadline starts with its first byte. */
    void requestEnds(Connection connection) {
        Tracked tracked = connections.get(connection);
        if (tracked != null) {
            tracked.readingBody = false;
            tracked.bytesAtSince = connection.getBytesIn();
            tracked.since = System.nanoTime();
            tracked.expecting = false;
            tracked.handling.decrementAndGet();
        }
    }

    /** Closes the connections whose request is late. */
    void check() {
        long now = System.nanoTime();
        for (var entry : connections.entrySet()) {
            Tracked tracked = entry.getValue();
            Connection connection = entry.getKey();
            if (tracked.handling.get() == 0 && !tracked.expecting && connection.getBytesIn() > tracked.bytesAtSince) {
                // The first bytes of the next request since its last answer: its deadline starts now.
                tracked.since = now;
                tracked.expecting = true;
                continue;
            }
            boolean late = now - tracked.since > requestTimeoutNanos;
            if (late && (tracked.readingBody || tracked.handling.get() == 0 && tracked.expecting)) {
                closedLate.incrementAndGet();
                connection.getEndPoint().close();
            }
        }
    }

    int openConnections() {
        return connections.size();
    }

    long refusedOverCap() {
        return refusedOverCap.get();
    }

    long closedLate() {
        return closedLate.get();
    }

    private static InetAddress address(SocketAddress remote) {
        return remote instanceof InetSocketAddress inet && inet.getAddress() != null ? inet.getAddress()
                : InetAddress.getLoopbackAddress();
    }
}
