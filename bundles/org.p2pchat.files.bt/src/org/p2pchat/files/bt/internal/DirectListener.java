package org.p2pchat.files.bt.internal;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import org.p2pchat.core.CandidatePath;

/**
 * Where the peer's Bt reaches ours directly: one server socket on each of our local network
 * addresses (never loopback, never the wildcard), all on the port of the first where possible.
 * Each accepted connection must pass the {@link DirectLink} handshake with this listener's
 * secret; one that fails is closed, and the listener goes on waiting.
 */
final class DirectListener implements AutoCloseable {

    /** Unauthenticated connections handled at once; more are closed at once. */
    static final int MAX_PENDING_HANDSHAKES = 4;
    /** At most this many addresses are offered or tried. */
    static final int MAX_ENDPOINTS = 8;
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    /** Starts with a hex digit or colon and has a colon: the JDK then parses it as IPv6 or refuses it. */
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:][0-9A-Fa-f:.]*");

    private final byte[] secret = DirectLink.newSecret();
    private final List<ServerSocket> sockets = new CopyOnWriteArrayList<>();
    private final Consumer<DirectLink> accepted;
    private final Semaphore pending = new Semaphore(MAX_PENDING_HANDSHAKES);
    private volatile boolean closed;

    /**
     * @param accepted told of each connection that passed the handshake, on a thread of its own
     * @throws IOException if no address could be bound
     */
    DirectListener(List<InetAddress> addresses, String name, Consumer<DirectLink> accepted) throws IOException {
        this.accepted = accepted;
        int port = 0;
        IOException failure = new IOException("no local network address");
        for (InetAddress address : addresses) {
            ServerSocket bound = bind(address, port, failure);
            ServerSocket s = bound == null && port != 0 ? bind(address, 0, failure) : bound;
            if (s != null) {
                port = port == 0 ? s.getLocalPort() : port;
                sockets.add(s);
                Thread t = new Thread(() -> acceptLoop(s), name);
                t.setDaemon(true);
                t.start();
            }
        }
        if (sockets.isEmpty()) {
            throw failure;
        }
    }

    private static ServerSocket bind(InetAddress address, int port, IOException failure) {
        try {
            ServerSocket s = new ServerSocket();
            try {
                s.bind(new InetSocketAddress(address, port), 8);
                return s;
            } catch (IOException e) {
                s.close();
                throw e;
            }
        } catch (IOException e) {
            failure.addSuppressed(e);
            return null;
        }
    }

    private void acceptLoop(ServerSocket server) {
        while (!closed) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                return;
            }
            if (!pending.tryAcquire()) {
                close(s);
                continue;
            }
            Thread t = new Thread(() -> {
                try {
                    DirectLink link = DirectLink.accept(s, secret);
                    pending.release();
                    if (closed) {
                        link.close();
                    } else {
                        accepted.accept(link);
                    }
                } catch (IOException | RuntimeException e) {
                    pending.release();
                    close(s); // a stranger, or a peer without the secret: this connection only
                }
            }, Thread.currentThread().getName() + "-handshake");
            t.setDaemon(true);
            t.start();
        }
    }

    byte[] secret() {
        return secret.clone();
    }

    /** Where we listen, as the peer should try them: in the order given. */
    List<InetSocketAddress> endpoints() {
        List<InetSocketAddress> list = new ArrayList<>();
        for (ServerSocket s : sockets) {
            list.add(new InetSocketAddress(withoutScope(s.getInetAddress()), s.getLocalPort()));
        }
        return list;
    }

    /**
     * Our addresses on local networks, the one the chat's connection uses first if it runs over a
     * host candidate (the likeliest to reach the peer). Loopback, link-local (they need a scope the
     * peer cannot know) and multicast addresses are left out.
     */
    static List<InetAddress> localAddresses(Optional<CandidatePath> chatPath) {
        List<InetAddress> list = new ArrayList<>();
        try {
            for (NetworkInterface nif : NetworkInterface.networkInterfaces().toList()) {
                if (!nif.isUp() || nif.isLoopback()) {
                    continue;
                }
                nif.inetAddresses().filter(DirectListener::usable).map(DirectListener::withoutScope)
                        .filter(a -> !list.contains(a)).forEach(list::add);
            }
        } catch (SocketException e) {
            return List.of();
        }
        InetAddress preferred = chatPath.filter(p -> p.local() == CandidatePath.CandidateType.HOST)
                .map(p -> parseAddress(hostOf(p.localAddress()))).orElse(null);
        if (preferred != null && list.remove(preferred)) {
            list.add(0, preferred);
        }
        return list.size() > MAX_ENDPOINTS ? new ArrayList<>(list.subList(0, MAX_ENDPOINTS)) : list;
    }

    /** Whether we would listen on, or connect to, {@code a}. */
    static boolean usable(InetAddress a) {
        return !a.isLoopbackAddress() && !a.isLinkLocalAddress() && !a.isAnyLocalAddress() && !a.isMulticastAddress();
    }

    private static InetAddress withoutScope(InetAddress a) {
        if (a instanceof Inet6Address six && (six.getScopeId() != 0 || six.getScopedInterface() != null)) {
            try {
                return InetAddress.getByAddress(six.getAddress());
            } catch (IOException e) {
                return a;
            }
        }
        return a;
    }

    /** {@code ip:port} or {@code [ip]:port} as ICE stats give it, to the ip. */
    private static String hostOf(String ipAndPort) {
        if (ipAndPort == null) {
            return "";
        }
        if (ipAndPort.startsWith("[")) {
            int end = ipAndPort.indexOf(']');
            return end < 0 ? "" : ipAndPort.substring(1, end);
        }
        int colon = ipAndPort.lastIndexOf(':');
        // One colon: ipv4:port. More: a bare IPv6 address, with or without a port we cannot split off.
        return colon > 0 && ipAndPort.indexOf(':') == colon ? ipAndPort.substring(0, colon) : ipAndPort;
    }

    /**
     * An IP address literal from the peer, or null: anything else is refused, so that nothing the
     * peer sends makes us look a name up.
     */
    static InetAddress parseAddress(String literal) {
        if (literal == null || literal.length() > 45) {
            return null;
        }
        try {
            if (IPV4.matcher(literal).matches()) {
                byte[] bytes = new byte[4];
                String[] parts = literal.split("\\.");
                for (int i = 0; i < 4; i++) {
                    int v = Integer.parseInt(parts[i]);
                    if (v > 255) {
                        return null;
                    }
                    bytes[i] = (byte) v;
                }
                return InetAddress.getByAddress(bytes);
            }
            if (IPV6.matcher(literal).matches() && literal.indexOf(':') >= 0) {
                return InetAddress.getByName(literal); // an IPv6 literal: parsed, never resolved
            }
        } catch (IOException e) {
            // not an address
        }
        return null;
    }

    private static void close(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closed
        }
    }

    @Override
    public void close() {
        closed = true;
        for (ServerSocket s : sockets) {
            try {
                s.close();
            } catch (IOException e) {
                // closed
            }
        }
    }
}
