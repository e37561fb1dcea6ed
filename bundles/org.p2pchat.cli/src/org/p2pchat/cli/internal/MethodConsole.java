package org.p2pchat.cli.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.p2pchat.client.core.ChatClient;
import org.p2pchat.client.core.ClientEvent;
import org.p2pchat.client.core.ConnectionMethod;
import org.p2pchat.client.core.Conversation;
import org.p2pchat.client.core.Request;
import org.p2pchat.client.core.Verification;
import org.p2pchat.core.signaling.PeerAddress;
import org.p2pchat.core.signaling.ProviderStatus;

/**
 * The command line over a connection method that lists peers, connects to them or takes their
 * requests (by default the rendezvous services): list peers, connect to one, or wait for
 * requests; then the chat. One chat at a time: requests that come while chatting are declined.
 * Finding peers, proofs and reconnecting are the client layer's.
 */
final class MethodConsole {

    private static final long ONLINE_TIMEOUT_SECONDS = 30;
    private static final Duration FIND_PATIENCE = Duration.ofSeconds(30);

    private final ChatClient client;
    private final ConnectionMethod method;
    private final CliOptions options;
    private final ChatConsole console;
    private final ConsoleInput input;
    private final EventPrinter print;
    private final CountDownLatch online = new CountDownLatch(1);
    private final LinkedBlockingQueue<Request> requests = new LinkedBlockingQueue<>();
    /** What was last said of each place the method works through. */
    private final Map<String, ProviderStatus.State> lastStates = new ConcurrentHashMap<>();

    MethodConsole(ChatClient client, ConnectionMethod method, CliOptions options, ChatConsole console, ConsoleInput input,
            EventPrinter print) {
        this.client = client;
        this.method = method;
        this.options = options;
        this.console = console;
        this.input = input;
        this.print = print;
    }

    /** @return the process exit code */
    int run() throws InterruptedException {
        client.goOnline(method.id());
        if (!online.await(ONLINE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            print.error(method.displayName() + " did not come online within " + ONLINE_TIMEOUT_SECONDS + " s: "
                    + describe(current().status()));
            return 1;
        }
        return switch (options.mode()) {
            case PEERS -> listPeers();
            case CONNECT -> connect();
            case LISTEN -> listen();
            default -> throw new IllegalStateException(options.mode().toString());
        };
    }

    private ConnectionMethod current() {
        return client.methods().stream().filter(m -> m.id().equals(method.id())).findFirst().orElse(method);
    }

    private int listPeers() {
        List<PeerAddress> peers = Futures.await(client.peers(method.id()), "list the peers", print);
        if (peers == null) {
            return 1;
        }
        for (PeerAddress p : peers) {
            // A person compares fingerprints; the id is what a provider without proven keys goes by.
            String fingerprint = p.identity().map(i -> i.fingerprint()).orElse(null);
            print.event("peer", "  " + p.name() + "  " + (fingerprint != null ? fingerprint : p.id()) + "  (" + p.scope() + ")",
                    "id", p.id(), "name", p.name(), "fingerprint", fingerprint,
                    "service", p.scope(), "authenticated", p.identity().isPresent());
        }
        print.event("peers", "* " + peers.size() + " peer(s) listed.", "count", peers.size());
        return 0;
    }

    private int connect() throws InterruptedException {
        print.hint("Looking for '" + options.peer() + "' (waiting up to " + FIND_PATIENCE.toSeconds()
                + " s for it to be listed)...");
        PeerAddress peer = Futures.await(client.find(method.id(), options.peer(), FIND_PATIENCE).exceptionally(e -> {
            print.error(Futures.message(e));
            return null;
        }), "find " + options.peer(), print);
        if (peer == null) {
            return 1;
        }
        print.event("connecting", "* Connecting to " + peer.shown() + "...", "id", peer.id(), "name", peer.name());
        Conversation conversation = client.connect(peer);
        console.adopt(conversation, true, () -> 0);
        return console.chat(conversation);
    }

    private int listen() throws InterruptedException {
        print.hint("Waiting for connection requests"
                + (options.acceptAll() ? " (accepting the first)." : "; answer with /accept or /reject."));
        while (true) {
            Request request = requests.poll(100, TimeUnit.MILLISECONDS);
            if (request == null) {
                continue;
            }
            boolean accept = options.acceptAll() || askUser(request);
            if (!accept) {
                client.reject(request);
                print.event("rejected", "* Rejected.", "id", request.from().id());
                continue;
            }
            Conversation conversation = client.accept(request);
            console.adopt(conversation, true, () -> 0);
            int exit = console.chat(conversation);
            if (exit != 1 || !conversation.state().isFinal()) {
                return exit;
            }
            // It never connected: the next request may.
        }
    }

    private boolean askUser(Request request) throws InterruptedException {
        while (true) {
            String line = input.nextLine();
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
                default -> print.hint("Answer the request from " + request.from().shown() + " with /accept or /reject.");
            }
        }
    }

    // ---- what the client reports (on its event thread) -------------------------------------------

    /** A client event that is not about a conversation or a transfer. */
    void clientEvent(ClientEvent event) {
        switch (event) {
            case ClientEvent.MethodChanged e when e.method().id().equals(method.id()) -> methodChanged(e.method());
            case ClientEvent.PeersChanged e when e.methodId().equals(method.id()) -> peersChanged(e.peers());
            case ClientEvent.RequestReceived e -> requested(e.request());
            case ClientEvent.RequestWithdrawn e -> {
                if (requests.remove(e.request())) {
                    print.event("withdrawn", "* " + e.request().from().shown() + " withdrew the request.", "id",
                            e.request().from().id());
                }
            }
            case ClientEvent.RequestRefused e -> print.event("refused", "! " + e.text(), "id", e.from().id(),
                    "name", e.from().name(), "text", e.text());
            default -> {
                // Other methods, and what the chat console shows.
            }
        }
    }

    /**
     * The method found peers by itself (a method without a server): while waiting for requests the
     * list is said again, one line, as it changes; a chat going on is not interrupted.
     */
    private void peersChanged(List<PeerAddress> peers) {
        if (options.mode() != CliOptions.Mode.LISTEN || console.chatting()) {
            return;
        }
        List<String> shown = peers.stream().map(PeerAddress::shown).toList();
        print.event("peers-changed", "* " + method.displayName() + " lists " + peers.size() + " peer(s) now"
                + (peers.isEmpty() ? "." : ": " + String.join(", ", shown)), "method", method.id(), "count",
                peers.size(), "peers", String.join(", ", shown), "ids",
                String.join(",", peers.stream().map(PeerAddress::id).toList()));
    }

    private void requested(Request request) {
        PeerAddress from = request.from();
        Verification marked = request.identity().map(client::verification).orElse(Verification.UNSIGNED);
        String who = request.identity().map(i -> "signed by key " + i.fingerprint()
                + (marked == Verification.VERIFIED ? ", verified by you" : ", not verified"))
                .orElse("UNVERIFIED (no identity proof)");
        String warning = request.warning().orElse(null);
        Conversation previous = console.current();
        if (console.chatting() && request.identity().isPresent()
                && previous.peerIdentity().equals(request.identity())) {
            continueIn(request, previous);
            return;
        }
        // Anything else is a request of its own, shown as such; while chatting (one chat at a time
        // here) it is declined and the chat goes on untouched.
        boolean chatting = console.chatting();
        boolean decline = chatting || options.mode() != CliOptions.Mode.LISTEN;
        String answer = chatting ? " You are in a chat, so it was declined (one chat at a time)."
                : decline ? " It was declined (start with 'listen' to take requests)."
                : options.acceptAll() ? "" : " /accept or /reject?";
        print.event("request", "* " + from.shown() + " asks to connect (" + who + ")."
                + (warning == null ? "" : "\n! " + warning) + answer,
                "id", from.id(), "name", from.name(), "signed", request.identity().isPresent(),
                "verification", ChatConsole.state(marked),
                "fingerprint", request.identity().map(i -> i.fingerprint()).orElse(null), "reconnect", request.reconnect(),
                "api", from.identity().isPresent() ? "authenticated" : "legacy", "warning", warning, "declined", decline);
        if (decline) {
            client.reject(request);
            return;
        }
        requests.add(request);
    }

    /**
     * The peer of the chat going on asks again, proving the same key: its program was restarted (or
     * lost the connection before we noticed). The chat goes on in the new connection, the old one is
     * left; the history is the same (it is kept by key), so what was not delivered is sent again.
     */
    private void continueIn(Request request, Conversation previous) {
        PeerAddress from = request.from();
        print.event("request", "* " + from.shown() + " connects again with the same key ("
                + request.identity().orElseThrow().fingerprint() + "): the chat goes on in the new connection.",
                "id", from.id(), "name", from.name(), "signed", true, "fingerprint",
                request.identity().orElseThrow().fingerprint(), "reconnect", request.reconnect(), "continues", true,
                "declined", false);
        Conversation next;
        try {
            next = client.accept(request);
        } catch (IllegalArgumentException e) { // withdrawn meanwhile
            print.error(e.getMessage());
            return;
        }
        // Left once the new one is shown, so that the old one's end does not read as the chat's.
        console.adopt(next, true, () -> 0, previous::leave);
    }

    private void methodChanged(ConnectionMethod changed) {
        for (ProviderStatus status : changed.status()) {
            ProviderStatus.State before = lastStates.put(status.scope(), status.state());
            if (before == status.state() && status.state() != ProviderStatus.State.UNREACHABLE) {
                continue;
            }
            // On a service that authenticates, our id there is our identity key.
            String api = status.ourId().isEmpty() ? null
                    : status.ourId().equals(client.self().key()) ? "authenticated" : "legacy";
            String human = switch (status.state()) {
                case CONNECTING, CLOSED -> null;
                case ONLINE -> "* Registered with " + status.scope() + (status.detail().isEmpty() ? "" : " ("
                        + status.detail() + ")") + (status.ourId().isEmpty() ? "" : " as " + status.ourId());
                case UNREACHABLE -> "! " + status.scope() + " is unreachable: " + status.detail() + " (retrying)";
            };
            print.event("service", human, "url", status.scope(), "state", stateWord(status.state()), "api", api,
                    "id", status.ourId(), "detail", status.detail());
            if (status.state() == ProviderStatus.State.ONLINE) {
                online.countDown();
            }
        }
    }

    /** The words scripts know from the rendezvous services. */
    private static String stateWord(ProviderStatus.State state) {
        return state == ProviderStatus.State.ONLINE ? "registered" : state.name().toLowerCase();
    }

    private static String describe(List<ProviderStatus> status) {
        return status.isEmpty() ? "no service answered"
                : String.join("; ", status.stream().map(s -> s.scope() + " " + stateWord(s.state())
                        + (s.detail().isEmpty() ? "" : " (" + s.detail() + ")")).toList());
    }
}
