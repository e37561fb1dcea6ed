package org.p2pchat.files.bt.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

import org.p2pchat.core.PeerDataChannel;
import org.p2pchat.core.files.TransferStatus.Direction;
import org.p2pchat.core.files.TransferStatus.State;

import bt.metainfo.Torrent;

/**
 * Which way the bytes of a BitTorrent connection go between the two peers: over an encrypted
 * direct TCP connection ({@link DirectLink}, {@link DirectListener}) when the peer is reachable
 * on the local network, else over a data channel of the chat's session ({@link ChannelBridge}).
 * The receiver's Bt dials a loopback port; for each connection the receiver asks the sender for
 * a direct endpoint ({@code direct-ask}/{@code direct-offer}) and falls back to a data channel if
 * none answers in time. The sender serves either kind from its seeding Bt.
 */
final class PathBroker {

    /** How long the receiver waits for the sender's answer to a direct-ask. */
    static final long DIRECT_ANSWER_WAIT_MS = 2000;
    static final int DIRECT_ATTEMPT_MS = 1000;
    static final int DIRECT_CONNECT_TOTAL_MS = 2000;
    private static final long SEED_WAIT_MINUTES = 10;

    private final boolean directPath;
    /** The engine thread, where transfers change. */
    private final Executor engine;
    private final Executor workers;
    private volatile UnaryOperator<List<InetSocketAddress>> directOfferRewrite = UnaryOperator.identity();
    private volatile boolean chatPeerServed = true;

    /** @param directPath whether Bt may use a direct TCP connection to the peer (both sides must allow it) */
    PathBroker(boolean directPath, Executor engine, Executor workers) {
        this.directPath = directPath;
        this.engine = engine;
        this.workers = workers;
    }

    /** Tests: see {@link BtFileTransferService#rewriteDirectOffers}. */
    void rewriteDirectOffers(UnaryOperator<List<InetSocketAddress>> rewrite) {
        directOfferRewrite = rewrite == null ? UnaryOperator.identity() : rewrite;
    }

    /** Tests: see {@link BtFileTransferService#serveChatPeer}. */
    void serveChatPeer(boolean serve) {
        chatPeerServed = serve;
    }

    // ---- receiver ---------------------------------------------------------------------------------

    /**
     * On a thread of its own: Bt dials the loopback port; each connection becomes a bridge, over a
     * direct connection if the sender offers one that works, else over a new data channel.
     */
    void acceptBridges(Transfer t, ServerSocketChannel port) {
        while (port.isOpen()) {
            SocketChannel socket;
            try {
                socket = port.accept();
            } catch (IOException e) {
                return;
            }
            ControlSession session = t.link;
            if (!(session instanceof PeerLink link) || !link.isConnected() || t.state() != State.RUNNING) {
                close(socket); // paused or away: Bt tries again later
                continue;
            }
            try {
                workers.execute(() -> bridgeConnection(t, link, port, socket));
            } catch (RejectedExecutionException e) {
                close(socket); // shutting down
            }
        }
    }

    /** On a worker: the receiver's side of one Bt connection. */
    private void bridgeConnection(Transfer t, PeerLink link, ServerSocketChannel port, SocketChannel socket) {
        DirectLink direct = directPath && !t.directFailed ? connectDirect(t, link) : null;
        if (!port.isOpen()) {
            close(socket);
            if (direct != null) {
                direct.close();
            }
            return;
        }
        if (direct != null) {
            Control.trace(link, "direct connection to " + direct.remoteAddress() + " for " + t.id());
            startBridge(t, new DirectBridge("p2pchat-files-direct", direct, () -> socket, null, t.bridgedIn::addAndGet,
                    t.bridges::remove));
            return;
        }
        link.session.openDataChannel(PeerLink.BRIDGE_LABEL_PREFIX + t.id()).whenComplete((channel, e) -> {
            if (e != null || !port.isOpen()) {
                close(socket);
                if (channel != null) {
                    channel.close();
                }
                return;
            }
            startBridge(t, new ChannelBridge("p2pchat-files-bridge", channel, () -> socket, null,
                    t.bridgedIn::addAndGet, t.bridges::remove));
        });
    }

    /**
     * Receiver: asks the sender where its Bt can be reached directly and connects there; null if
     * the sender offers nothing or nothing offered answers in time (the rest of this run then
     * uses data channels at once).
     */
    private DirectLink connectDirect(Transfer t, PeerLink link) {
        String request = UUID.randomUUID().toString();
        CompletableFuture<Control.Message> answer = new CompletableFuture<>();
        t.directAnswers.put(request, answer);
        try {
            Control.Message ask = new Control.Message("direct-ask").id(t.id());
            ask.request = request;
            link.send(ask);
            Control.Message offer = answer.get(DIRECT_ANSWER_WAIT_MS, TimeUnit.MILLISECONDS);
            List<InetSocketAddress> endpoints = new ArrayList<>();
            if (offer != null && offer.endpoints != null) {
                for (Control.Endpoint e : offer.endpoints) {
                    InetAddress address = e == null ? null : DirectListener.parseAddress(e.address);
                    if (address != null && DirectListener.usable(address) && e.port > 0 && e.port < 65536
                            && endpoints.size() < DirectListener.MAX_ENDPOINTS) {
                        endpoints.add(new InetSocketAddress(address, e.port));
                    }
                }
            }
            byte[] secret = offer == null || offer.secret == null ? null : Base64.getDecoder().decode(offer.secret);
            if (endpoints.isEmpty() || secret == null || secret.length != DirectLink.SECRET_BYTES) {
                t.directFailed = true;
                return null;
            }
            return DirectLink.connect(endpoints, secret, DIRECT_ATTEMPT_MS, DIRECT_CONNECT_TOTAL_MS);
        } catch (IOException | TimeoutException | ExecutionException | IllegalArgumentException e) {
            Control.trace(link, "no direct connection for " + t.id() + ": " + e.getMessage());
            t.directFailed = true;
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } finally {
            t.directAnswers.remove(request);
        }
    }

    // ---- sender -----------------------------------------------------------------------------------

    /** Engine: the receiver's Bt wants a connection; offer a direct one if we may. */
    void answerDirectAsk(ControlSession session, Transfer t, Control.Message ask) {
        Control.Message reply = new Control.Message("direct-offer").id(t.id());
        reply.request = ask.request;
        if (directPath && session instanceof PeerLink link && t.direction == Direction.SENDING
                && t.state() == State.RUNNING && t.seedReady != null) {
            if (t.directListener == null) {
                try {
                    DirectListener[] listener = new DirectListener[1];
                    listener[0] = new DirectListener(DirectListener.localAddresses(link.session.selectedPath()),
                            "p2pchat-files-direct-port",
                            accepted -> engine.execute(() -> directAccepted(t, listener[0], accepted)));
                    t.directListener = listener[0];
                } catch (IOException e) {
                    Control.trace(link, "no direct listener: " + e.getMessage());
                }
            }
            DirectListener listener = t.directListener;
            if (listener != null) {
                reply.endpoints = new ArrayList<>();
                for (InetSocketAddress a : directOfferRewrite.apply(listener.endpoints())) {
                    Control.Endpoint e = new Control.Endpoint();
                    e.address = a.getAddress().getHostAddress();
                    e.port = a.getPort();
                    reply.endpoints.add(e);
                }
                reply.secret = Base64.getEncoder().encodeToString(listener.secret());
            }
        }
        TransferProtocol.send(t, reply);
    }

    /** Engine, sender: the receiver connected directly and proved the secret. */
    private void directAccepted(Transfer t, DirectListener listener, DirectLink accepted) {
        if (t.directListener != listener || t.state() != State.RUNNING) {
            accepted.close();
            return;
        }
        startBridge(t, new DirectBridge("p2pchat-files-direct", accepted, seedConnector(t, () -> !accepted.isClosed()),
                offeredTorrent(t), t.bridgedIn::addAndGet, t.bridges::remove));
    }

    /** On libwebrtc's thread: the receiver's Bt reaches our seed of {@code t} (may be null) through a new channel. */
    void bridgeOpened(PeerLink link, Transfer t, PeerDataChannel channel) {
        if (t == null || t.direction != Direction.SENDING || t.link != link
                || (t.state() != State.RUNNING && t.state() != State.WAITING_FOR_PEER)) {
            channel.close();
            return;
        }
        startBridge(t, new ChannelBridge("p2pchat-files-bridge", channel, seedConnector(t, channel::isOpen),
                offeredTorrent(t), t.bridgedIn::addAndGet, t.bridges::remove));
    }

    /** Sender: connects to our Bt once it has checked the file (or once the accept that starts seeding arrived). */
    private Callable<SocketChannel> seedConnector(Transfer t, BooleanSupplier peerStillThere) {
        return () -> {
            if (!chatPeerServed) {
                throw new IOException("not serving the chat peer");
            }
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(SEED_WAIT_MINUTES);
            while (System.nanoTime() < deadline && peerStillThere.getAsBoolean()) {
                CompletableFuture<Void> ready = t.seedReady;
                BtEngine bt = t.engine;
                if (ready != null && bt != null) {
                    try {
                        ready.get(200, TimeUnit.MILLISECONDS);
                        return bt.connectToAcceptor();
                    } catch (TimeoutException e) {
                        continue;
                    }
                }
                Thread.sleep(50);
            }
            throw new IOException("the file is not ready to be sent");
        };
    }

    /** Sender: the peer's Bt may ask only for the torrents of this transfer. */
    private static Predicate<byte[]> offeredTorrent(Transfer t) {
        return hash -> {
            for (Torrent torrent : t.torrents) {
                if (torrent != null && Arrays.equals(torrent.getTorrentId().getBytes(), hash)) {
                    return true;
                }
            }
            return false;
        };
    }

    private static void startBridge(Transfer t, Bridge bridge) {
        t.bridges.add(bridge);
        t.path = bridge.path();
        bridge.start();
    }

    /** Stops every way the bytes of {@code t} go; the engine thread. */
    static void closePaths(Transfer t) {
        if (t.bridgePort != null) {
            try {
                t.bridgePort.close();
            } catch (IOException e) {
                // closed
            }
            t.bridgePort = null;
        }
        if (t.directListener != null) {
            t.directListener.close();
            t.directListener = null;
        }
        t.directAnswers.values().forEach(waiting -> waiting.complete(null));
        t.directAnswers.clear();
        for (Bridge b : t.bridges) {
            b.close();
        }
        t.bridges.clear();
    }

    static void close(SocketChannel s) {
        try {
            s.close();
        } catch (IOException e) {
            // closed
        }
    }
}
