package org.p2pchat.cli.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

import org.p2pchat.client.core.ClientEvent;
import org.p2pchat.client.core.Conversation;
import org.p2pchat.client.core.ConversationState;
import org.p2pchat.client.core.EndReason;
import org.p2pchat.client.core.Verification;
import org.p2pchat.core.CandidatePath;
import org.p2pchat.core.ChatMessage;
import org.p2pchat.core.ConnectionState;
import org.p2pchat.core.identity.Contact;

/**
 * The command-line chat in one conversation of the client layer: shows what happens in it and
 * sends each input line; lines starting with a slash are commands.
 */
final class ChatConsole {

    /** The exit code when the chat ended from the peer's side (it left, or the connection was lost for good). */
    static final int EXIT_PEER_GONE = 3;
    /** Events of conversations not adopted yet are kept for when they are; more than this is not one of ours. */
    private static final int MAX_EARLY_EVENTS = 1000;
    /**
     * A safety net only: the client layer ends every attempt by itself, with its reason (the peer is
     * offline, did not answer within its wait, no network path was found), well before this.
     */
    private static final long CONNECT_TIMEOUT_SECONDS = 150;

    private final TransferConsole files;
    private final DeliveryConsole delivery;
    private final ConsoleInput input;
    private final EventPrinter print;
    /** The thread client events arrive on: adopting a conversation goes through it, in order with its events. */
    private final Executor events;
    private final long startNanos = System.nanoTime();

    private volatile Conversation conversation;
    /** The conversation adopted last, set at once (not on the event thread): typed lines go to it. */
    private volatile Conversation current;
    private volatile CompletableFuture<EndReason> ended = new CompletableFuture<>();
    /** When the peer's description was applied (the manual exchange); 0 if not known. */
    private volatile LongSupplier remoteApplied = () -> 0;
    /** Whether "negotiated" is printed once the descriptions are exchanged (a connection through a method). */
    private volatile boolean reportNegotiated;

    // Touched on the event thread only.
    /** Completed when the conversation shown ({@link #conversation}) ends. */
    private CompletableFuture<EndReason> shownEnded = new CompletableFuture<>();
    private boolean bestEffortShown;
    private final List<ClientEvent.OfConversation> early = new ArrayList<>();
    private boolean negotiatedShown;
    private String lastState;
    private int lastAttempt;

    /** @param files file transfer; null if the client has none */
    ChatConsole(TransferConsole files, DeliveryConsole delivery, ConsoleInput input, EventPrinter print,
            Executor events) {
        this.files = files;
        this.delivery = delivery;
        this.input = input;
        this.print = print;
        this.events = events;
    }

    /**
     * From now on this console shows {@code c} (with what it reported before) and ignores the
     * conversations before it.
     *
     * @param viaMethod      whether a connection method carries its descriptions ("negotiated" is printed)
     * @param remoteApplied  when the peer's description was applied, for the timings; 0 if not known
     */
    void adopt(Conversation c, boolean viaMethod, LongSupplier remoteApplied) {
        adopt(c, viaMethod, remoteApplied, () -> {
        });
    }

    /**
     * As {@link #adopt(Conversation, boolean, LongSupplier)}, then runs {@code then} on the event
     * thread: what it makes the conversation before report (leaving it, say) is not shown as this one's.
     */
    void adopt(Conversation c, boolean viaMethod, LongSupplier remoteApplied, Runnable then) {
        CompletableFuture<EndReason> end = new CompletableFuture<>();
        ended = end;
        current = c;
        this.remoteApplied = remoteApplied;
        reportNegotiated = viaMethod;
        // Taken over on the event thread, so what it reported before is shown first, in order.
        events.execute(() -> {
            conversation = c;
            shownEnded = end;
            bestEffortShown = false;
            negotiatedShown = false;
            lastState = null;
            lastAttempt = 0;
            List<ClientEvent.OfConversation> before = List.copyOf(early);
            early.clear();
            for (ClientEvent.OfConversation e : before) {
                if (e.conversation() == c) {
                    show(e, end);
                }
            }
            then.run();
        });
    }

    /** One of our messages of a conversation of the history that is not live, sent again; on the event thread. */
    void historyDelivery(ClientEvent.HistoryDeliveryChanged e) {
        delivery.changed(null, e.historyId(), e.messageId(), e.state());
    }

    /** An event of any conversation, on the event thread. */
    void conversationEvent(ClientEvent.OfConversation e) {
        if (e.conversation() == conversation) {
            show(e, shownEnded);
        } else if (early.size() < MAX_EARLY_EVENTS) {
            early.add(e); // of one about to be adopted (events can overtake the call that made it)
        }
    }

    /**
     * A channel the peer opened, on the thread that reports it: a channel drops what arrives before
     * its receiver is set, so a benchmark stream is counted from here, not from the event thread.
     */
    void channelOpened(ClientEvent.ChannelOpened e) {
        if (Benchmark.CHANNEL.equals(e.channel().label())) {
            Benchmark.receive(e.channel(), print);
        }
    }

    /** The conversation adopted last, or null. */
    Conversation current() {
        return current;
    }

    /** Whether a chat is going on (requests are declined then). */
    boolean chatting() {
        Conversation c = conversation;
        return c != null && !c.state().isFinal() && !ended.isDone();
    }

    // ---- what happens -----------------------------------------------------------------------

    private void show(ClientEvent.OfConversation event, CompletableFuture<EndReason> end) {
        if (!bestEffortShown && event.conversation().bestEffort()) {
            // Known once the peer's client introduced itself; a person reads it in the client layer's notice.
            bestEffortShown = true;
            print.event("bestEffort", null, "conversation", event.conversation().historyId().orElse(null));
        }
        switch (event) {
            case ClientEvent.StateChanged e -> stateChanged(e.conversation(), e.state(), e.connection());
            case ClientEvent.PathSelected e -> print.event("path", "* path: " + e.path(), "summary", e.path().summary(),
                    "protocol", e.path().protocol(), "detail", e.path().toString());
            case ClientEvent.PeerIdentified e -> {
                print.event("identity", (e.identity().isPresent() ? "* " : "! ") + e.text(), "signed",
                        e.identity().isPresent(), "fingerprint", e.identity().map(i -> i.fingerprint()).orElse(null),
                        // Our clients always prove their identity: a pasted description without a proof is the web app's.
                        "webApp", e.identity().isEmpty() && e.conversation().peer().isEmpty() ? true : null);
            }
            case ClientEvent.SafetyNumber e -> print.event("safety", "* Safety number: " + e.number() + " (the same on "
                    + "every connection; compare it with your peer over another channel, then type /verify; if it "
                    + "differs, someone is in the middle)", "number", e.number(),
                    "verification", state(e.conversation().verification()));
            case ClientEvent.VerificationChanged e -> print.event("verification",
                    (e.verification() == Verification.KEY_CHANGED ? "!!! " : "* ") + e.text(),
                    "state", state(e.verification()), "text", e.text(), "name", e.conversation().peerName(),
                    "number", e.conversation().safetyNumber().orElse(null),
                    "conversation", e.conversation().historyId().orElse(null));
            case ClientEvent.ContactChecked e -> print.event("contact",
                    (e.status() == Contact.Status.CHANGED ? "!!! " : "* ") + e.text(), "name", e.name(),
                    "status", e.status().name().toLowerCase());
            case ClientEvent.MessageReceived e -> message(e.message());
            case ClientEvent.MessageSent e -> delivery.sent(e.message());
            // What the client does not handle (the web app's file offer, a frame it cannot read), as the client words it.
            case ClientEvent.Notice e -> print.event("notice", "* " + e.text(), "text", e.text());
            case ClientEvent.ChannelOpened e -> {
                if (!Benchmark.CHANNEL.equals(e.channel().label())) { // a benchmark is counted from its first byte on
                    print.event("channel", "* the peer opened channel '" + e.channel().label() + "'", "label",
                            e.channel().label());
                }
            }
            case ClientEvent.Reconnecting e -> {
                lastAttempt = e.attempt();
                print.event("reconnecting", "* Connection lost; reconnecting (attempt " + e.attempt() + " of "
                        + e.attempts() + ")...", "attempt", e.attempt());
            }
            case ClientEvent.ReconnectFailed e -> print.error(e.nextInMillis() < 0 ? "Could not reconnect: " + e.text()
                    : "Reconnect attempt " + e.attempt() + " failed: " + e.text());
            case ClientEvent.Reconnected e -> print.event("reconnected", e.byPeer() ? "* Reconnected by your peer."
                    : "* Reconnected.", "attempt", e.byPeer() ? 0 : lastAttempt);
            case ClientEvent.Ended e -> {
                if (lastState == null || !ConnectionState.valueOf(lastState.toUpperCase()).isFinal()) {
                    printState(ConnectionState.CLOSED);
                }
                print.event("ended", e.text().isBlank() ? null : (e.reason() == EndReason.WE_LEFT ? "* " : "! ") + e.text(),
                        "reason", e.reason().name().toLowerCase(), "text", e.text());
                end.complete(e.reason());
            }
            case ClientEvent.ConversationStarted e -> {
                // Said by whoever started it (connecting, the offer...).
            }
            // Asking, waiting for the peer to accept, finding a path: the client layer's words, as the desktop shows them.
            case ClientEvent.Progress e -> print.event("progress", "* " + e.text(), "text", e.text());
            case ClientEvent.DeliveryChanged e -> delivery.changed(e.conversation(),
                    e.conversation().historyId().orElse(null), e.messageId(), e.state());
        }
    }

    private void stateChanged(Conversation c, ConversationState state, ConnectionState connection) {
        if (reportNegotiated && !negotiatedShown
                && (state == ConversationState.CONNECTING || state == ConversationState.CONNECTED)) {
            negotiatedShown = true;
            print.event("negotiated", null, "sinceStartMs", millisSince(startNanos));
        }
        if (!connection.name().toLowerCase().equals(lastState)) {
            printState(connection);
        }
    }

    private void printState(ConnectionState state) {
        String lower = state.name().toLowerCase();
        lastState = lower;
        long remote = remoteApplied.getAsLong();
        print.event("state", "* " + lower, "state", lower, "sinceStartMs", millisSince(startNanos),
                "sinceRemoteMs", remote == 0 ? null : millisSince(remote));
    }

    private void message(ChatMessage m) {
        String human = m.isSystemNotice() ? "* " + m.content()
                : "[" + EventPrinter.clock(m.timestamp()) + "] " + m.sender() + ": " + m.content();
        print.event("message", human, "id", m.id(), "sender", m.sender(), "content", m.content(), "timestamp",
                m.timestamp());
    }

    // ---- chatting ----------------------------------------------------------------------------

    /**
     * Waits for {@code c}, the conversation adopted last, to connect, then chats until the input ends, {@code /quit},
     * or the peer's side ends it. @return the process exit code
     */
    int chat(Conversation c) throws InterruptedException {
        try {
            c.connected().get(CONNECT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            print.error("Could not connect: " + Futures.message(e));
            return 1;
        } catch (TimeoutException e) {
            print.error("Could not connect within " + CONNECT_TIMEOUT_SECONDS + " s (state "
                    + c.connectionState().name().toLowerCase() + "). Check that both sides used fresh descriptions and "
                    + "that a path exists (STUN/TURN).");
            c.leave();
            return 1;
        }
        // The peer may come back in a new connection (adopted here): lines go to the conversation adopted last.
        input.stopWhen(() -> ended.isDone());
        String line;
        while ((line = input.nextLine()) != null) {
            if (line.startsWith("/")) {
                if (!command(current, line.strip())) {
                    break;
                }
            } else if (!line.isEmpty()) {
                current.send(line).exceptionally(error -> {
                    print.error("Not sent: " + Futures.message(error));
                    return null;
                });
            }
        }
        delivery.seen(current);
        CompletableFuture<EndReason> end = ended;
        if (end.isDone()) {
            return end.join() == EndReason.WE_LEFT ? 0 : EXIT_PEER_GONE; // the peer hung up, or it was lost for good
        }
        // We end it: what is queued goes out, then the goodbye.
        try {
            current.leave().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // Closed or stuck: nothing more to deliver.
        }
        return 0;
    }

    /** @return false to end the chat */
    private boolean command(Conversation c, String line) {
        List<String> all = words(line);
        List<String> args = all.subList(1, all.size());
        switch (all.get(0)) {
            case "/quit", "/exit" -> {
                return false;
            }
            case "/ping" -> Benchmark.ping(c, args.isEmpty() ? 10 : parseCount(args.get(0), 10), print);
            case "/bench" -> Benchmark.send(c, args.isEmpty() ? 64 : parseCount(args.get(0), 64), print);
            case "/status" -> print.event("status", "* " + c.connectionState().name().toLowerCase()
                    + c.path().map(p -> " via " + p).orElse(""), "state", c.connectionState().name().toLowerCase(),
                    "path", c.path().map(CandidatePath::summary).orElse(null));
            case "/send" -> {
                if (files()) {
                    files.send(c, args);
                }
            }
            case "/accept" -> {
                if (files()) {
                    files.accept(args);
                }
            }
            case "/decline" -> {
                if (files()) {
                    files.decline(args);
                }
            }
            case "/transfers" -> {
                if (files()) {
                    files.list();
                }
            }
            case "/safety" -> print.event("safety", c.safetyNumber()
                    .map(n -> "* Safety number: " + n + " (" + state(c.verification()).replace('_', ' ') + ")")
                    .orElse("! " + c.peerName() + " proves no identity key: there is no safety number."),
                    "number", c.safetyNumber().orElse(null), "verification", state(c.verification()));
            case "/verify", "/unverify" -> {
                try {
                    c.markVerified(all.get(0).equals("/verify")); // printed as its verification event
                } catch (IllegalStateException | IllegalArgumentException e) {
                    print.error(e.getMessage());
                }
            }
            case "/pending" -> delivery.pending(c);
            case "/retry" -> delivery.retry(c, args);
            case "/help" -> print.hint(CliOptions.USAGE);
            default -> print.error("Unknown command " + all.get(0) + "; /help lists them.");
        }
        return true;
    }

    /** A verification state as the JSON events name it: not_verified, verified, key_changed, unsigned. */
    static String state(Verification v) {
        return v.name().toLowerCase(java.util.Locale.ROOT);
    }

    private boolean files() {
        if (files == null) {
            print.error("This client has no file transfer installed (the org.p2pchat.files.bt plug-in is missing).");
        }
        return files != null;
    }

    /** A command line split at white space; "double quotes" keep a path with spaces in one word. */
    static List<String> words(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
                any = true;
            } else if (Character.isWhitespace(c) && !quoted) {
                if (any) {
                    words.add(word.toString());
                    word.setLength(0);
                    any = false;
                }
            } else {
                word.append(c);
                any = true;
            }
        }
        if (any) {
            words.add(word.toString());
        }
        return words;
    }

    private int parseCount(String word, int fallback) {
        try {
            return Math.max(1, Integer.parseInt(word));
        } catch (NumberFormatException e) {
            print.error("'" + word + "' is not a number; using " + fallback + ".");
            return fallback;
        }
    }

    private static long millisSince(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
    }
}
