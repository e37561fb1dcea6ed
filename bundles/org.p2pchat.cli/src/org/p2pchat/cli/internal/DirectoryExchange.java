package org.p2pchat.cli.internal;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.p2pchat.core.identity.PublicIdentity;
import org.p2pchat.core.signaling.DirectoryConnection;
import org.p2pchat.core.signaling.DirectoryListener;
import org.p2pchat.core.signaling.DirectoryMembership;
import org.p2pchat.core.signaling.DirectoryOptions;
import org.p2pchat.core.signaling.DirectoryPeer;
import org.p2pchat.core.signaling.DirectorySignalingProvider;
import org.p2pchat.core.signaling.IncomingRequest;
import org.p2pchat.core.signaling.ServiceStatus;
import org.p2pchat.core.text.ContactWarnings;

/**
 * The command line over the rendezvous ("DHT") services: list peers, connect to one, or wait for
 * requests; then the same chat as after a manual exchange. A lost connection is made again
 * through the services: the side that connected asks, the other side accepts by itself.
 */
final class DirectoryExchange implements DirectoryListener {

    private static final long REGISTER_TIMEOUT_SECONDS = 30;
    private static final long FIND_SECONDS = 30;

    private final DirectorySignalingProvider provider;
    private final DirectoryOptions directoryOptions;
    private final CliOptions options;
    private final ChatConsole console;
    private final EventPrinter print;
    private final CountDownLatch registered = new CountDownLatch(1);
    private final LinkedBlockingQueue<IncomingRequest> requests = new LinkedBlockingQueue<>();
    private final ConcurrentHashMap<String, ServiceStatus.State> lastStates = new ConcurrentHashMap<>();
    /** The conversation once connected: reconnect requests that continue it are accepted without asking. */
    private volatile DirectoryConnection conversation;
    private volatile boolean chatting;

    DirectoryExchange(DirectorySignalingProvider provider, DirectoryOptions directoryOptions, CliOptions options,
            ChatConsole console, EventPrinter print) {
        this.provider = provider;
        this.directoryOptions = directoryOptions;
        this.options = options;
        this.console = console;
        this.print = print;
    }

    /** @return the process exit code */
    int run() throws InterruptedException {
        long started = System.nanoTime();
        try (DirectoryMembership membership = provider.join(directoryOptions, this)) {
            if (!registered.await(REGISTER_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                print.error("No rendezvous service accepted the registration within " + REGISTER_TIMEOUT_SECONDS + " s: "
                        + describe(membership.services()));
                return 1;
            }
            return switch (options.mode()) {
                case PEERS -> listPeers(membership);
                case CONNECT -> connect(membership, started);
                case LISTEN -> listen();
                default -> throw new IllegalStateException(options.mode().toString());
            };
        }
    }

    private int listPeers(DirectoryMembership membership) {
        List<DirectoryPeer> peers = console.await(membership.peers(), "list the peers");
        if (peers == null) {
            return 1;
        }
        for (DirectoryPeer p : peers) {
            print.event("peer", "  " + p.name() + "  " + p.id() + "  (" + p.service() + ")", "id", p.id(), "name", p.name(),
                    "service", p.service().toString(), "authenticated", p.authenticated());
        }
        print.event("peers", "* " + peers.size() + " peer(s) listed.", "count", peers.size());
        return 0;
    }

    private int connect(DirectoryMembership membership, long started) throws InterruptedException {
        DirectoryPeer peer = find(membership);
        if (peer == null) {
            return 1;
        }
        print.event("connecting", "* Connecting to " + (peer.name().isEmpty() ? peer.id() : peer.name()) + "...",
                "id", peer.id(), "name", peer.name());
        console.expectSession();
        DirectoryConnection connection = console.await(membership.connect(peer, console), "connect");
        if (connection == null) {
            return 1;
        }
        print.event("negotiated", null, "sinceStartMs", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        conversation = connection;
        chatting = true;
        return console.runNegotiated(connection, listener -> membership.reconnect(conversation, listener));
    }

    /**
     * The peer named on the command line: an id, or a name only one listed peer has. Two people
     * often start at the same moment, so a name not listed yet is looked for again for a while.
     */
    private DirectoryPeer find(DirectoryMembership membership) throws InterruptedException {
        String wanted = options.peer();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(FIND_SECONDS);
        boolean told = false;
        while (true) {
            List<DirectoryPeer> peers = console.await(membership.peers(), "list the peers");
            if (peers == null) {
                return null;
            }
            for (DirectoryPeer p : peers) {
                if (p.id().equals(wanted)) {
                    return p;
                }
            }
            List<DirectoryPeer> named = peers.stream().filter(p -> p.name().equals(wanted)).toList();
            if (named.size() == 1) {
                return named.get(0);
            }
            if (named.size() > 1) {
                print.error(named.size() + " peers are called '" + wanted + "'; connect by id instead: "
                        + String.join(", ", named.stream().map(DirectoryPeer::id).toList()));
                return null;
            }
            if (isIdentityKey(wanted)) {
                // Unlisted peers are reachable by id on an authenticated service.
                Optional<DirectoryPeer> byId = membership.services().stream()
                        .filter(s -> s.state() == ServiceStatus.State.REGISTERED && s.api().equals("authenticated"))
                        .findFirst()
                        .map(s -> new DirectoryPeer(wanted, "", s.service(), true, null));
                if (byId.isPresent()) {
                    return byId.get();
                }
            }
            if (System.nanoTime() > deadline) {
                print.error("No listed peer has the id or name '" + wanted + "' (looked for " + FIND_SECONDS
                        + " s); 'p2pchat cli peers' lists them.");
                return null;
            }
            if (!told) {
                told = true;
                print.hint("'" + wanted + "' is not listed yet; waiting up to " + FIND_SECONDS + " s...");
            }
            Thread.sleep(1000);
        }
    }

    private static boolean isIdentityKey(String text) {
        try {
            new PublicIdentity(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private int listen() throws InterruptedException {
        print.hint("Waiting for connection requests" + (options.acceptAll() ? " (accepting the first)." : "; answer with /accept or /reject."));
        while (true) {
            IncomingRequest request = requests.poll(100, TimeUnit.MILLISECONDS);
            if (request == null) {
                continue;
            }
            boolean accept = options.acceptAll() || askUser(request);
            if (!accept) {
                request.reject();
                print.event("rejected", "* Rejected.", "id", request.from().id());
                continue;
            }
            console.expectSession();
            DirectoryConnection connection = console.await(request.accept(console), "accept the request");
            if (connection == null) {
                continue;
            }
            conversation = connection;
            chatting = true;
            return console.runNegotiated(connection, null);
        }
    }

    private boolean askUser(IncomingRequest request) throws InterruptedException {
        while (true) {
            String line = console.nextLine();
            if (line == null) {
                return false;
            }
            switch (line.strip()) {
                case "/accept", "/a", "y", "yes" -> {
                    return true;
                }
                case "/reject", "/r", "n", "no" -> {
                    return false;
                }
                default -> print.hint("Answer the request from " + request.from().name() + " with /accept or /reject.");
            }
        }
    }

    @Override
    public void incoming(IncomingRequest request) {
        DirectoryPeer from = request.from();
        if (chatting && request.continues(conversation)) {
            // Our peer lost the connection and asks again, proving the key of this chat: no question to the user.
            console.expectSession();
            request.accept(console).whenComplete((connection, error) -> {
                if (error == null) {
                    conversation = connection;
                    console.reconnectedByPeer(connection);
                } else {
                    print.error("Could not accept the reconnect request: " + ChatConsole.cause(error).getMessage());
                }
            });
            return;
        }
        String who = request.identity().map(i -> "key " + i.fingerprint()).orElse("UNVERIFIED (no identity proof)");
        String warning = ContactWarnings.forRequest(from.name(), request.identity(), console.identity().contacts())
                .orElse(null);
        // Anything else is a request of its own, shown as such; while chatting (one chat at a time
        // here) it is declined and the chat goes on untouched.
        String answer = chatting ? " You are in a chat, so it was declined (one chat at a time)."
                : options.acceptAll() ? "" : " /accept or /reject?";
        print.event("request", "* " + (from.name().isEmpty() ? from.id() : from.name()) + " asks to connect (" + who + ")."
                + (warning == null ? "" : "\n! " + warning) + answer,
                "id", from.id(), "name", from.name(), "verified", request.identity().isPresent(),
                "fingerprint", request.identity().map(i -> i.fingerprint()).orElse(null), "reconnect", request.reconnect(),
                "api", from.authenticated() ? "authenticated" : "legacy", "warning", warning, "declined", chatting);
        if (chatting) {
            request.reject();
            return;
        }
        requests.add(request);
    }

    @Override
    public void withdrawn(IncomingRequest request) {
        if (requests.remove(request)) {
            print.event("withdrawn", "* " + request.from().name() + " withdrew the request.", "id", request.from().id());
        }
    }

    @Override
    public void serviceChanged(ServiceStatus status) {
        ServiceStatus.State before = lastStates.put(status.service().toString(), status.state());
        if (before == status.state() && status.state() != ServiceStatus.State.UNREACHABLE) {
            return;
        }
        String human = switch (status.state()) {
            case CONNECTING -> null;
            case REGISTERED -> "* Registered with " + status.service() + " (" + status.api() + " API) as " + status.ourId();
            case UNREACHABLE -> "! " + status.service() + " is unreachable: " + status.detail() + " (retrying)";
            case CLOSED -> null;
        };
        print.event("service", human, "url", status.service().toString(), "state", status.state().name().toLowerCase(),
                "api", status.api(), "id", status.ourId(), "detail", status.detail());
        if (status.state() == ServiceStatus.State.REGISTERED) {
            registered.countDown();
        }
    }

    private static String describe(List<ServiceStatus> services) {
        return String.join("; ", services.stream()
                .map(s -> s.service() + " " + s.state().name().toLowerCase() + (s.detail().isEmpty() ? "" : " (" + s.detail() + ")"))
                .toList());
    }
}
