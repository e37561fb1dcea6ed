package org.p2pchat.cli.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import org.p2pchat.core.CandidatePath;
import org.p2pchat.core.ChatMessage;
import org.p2pchat.core.ConnectionState;
import org.p2pchat.core.PeerDataChannel;
import org.p2pchat.core.PeerSession;
import org.p2pchat.core.PeerSessionListener;
import org.p2pchat.core.SessionDescription;
import org.p2pchat.core.identity.Contact;
import org.p2pchat.core.identity.IdentityException;
import org.p2pchat.core.identity.IdentityService;
import org.p2pchat.core.identity.PublicIdentity;
import org.p2pchat.core.signaling.DirectoryConnection;
import org.p2pchat.core.signaling.SignalingException;
import org.p2pchat.core.signaling.SignedDescription;
import org.p2pchat.core.signaling.TextSignalingProvider;

/**
 * The command-line chat: negotiates through pasted text on stdin (or takes a session the
 * directory negotiated), then sends each input line and prints what arrives.
 */
final class ChatConsole implements PeerSessionListener {

    /** Label of the binary channel {@code /bench} sends on. */
    static final String BENCH_CHANNEL = "bench";
    /** Channels of the file transfer plug-in are called "p2pchat-files", "p2pchat-bt/ID"... */
    private static final String FILE_CHANNEL_PREFIX = "p2pchat-";
    /** The web app's join notice is "<name> joined the chat". */
    private static final String JOINED = " joined the chat";
    private static final long CONNECT_TIMEOUT_SECONDS = 60;
    private static final int RECONNECT_ATTEMPTS = 5;
    /** A description's text never needs more lines than this; beyond it the paste is garbage. */
    private static final int MAX_PASTE_LINES = 400;
    /** The lines of one paste arrive together; an unfinished one followed by this much quiet was cut off. */
    private static final long PASTE_QUIET_MILLIS = 700;
    /** The exit code when the chat ended from the peer's side (it left, or the connection was lost for good). */
    static final int EXIT_PEER_GONE = 3;

    private volatile PeerSession session;
    /** Takes the next session that reports an event (one the directory creates for us). */
    private volatile boolean adoptNextSession;
    private final TextSignalingProvider signaling;
    /** File transfer; null where the client has none installed. */
    private final TransferConsole files;
    private final IdentityService identity;
    private final CliOptions options;
    private final String name;
    private final BlockingQueue<Optional<String>> input = new LinkedBlockingQueue<>();
    private final EventPrinter print;
    private final CountDownLatch ended = new CountDownLatch(1);
    private final CountDownLatch connected = new CountDownLatch(1);
    private final long startNanos = System.nanoTime();
    private volatile long remoteAppliedNanos;
    private volatile SessionDescription localDescription;
    private volatile SessionDescription remoteDescription;
    /** The peer's verified identity; null for an unverified peer (the web app). */
    private volatile PublicIdentity peerIdentity;

    /** Connects a lost session again; null where nothing can (the manual exchange). */
    private volatile Reconnector reconnector;
    private volatile boolean safetyShown;

    /** Makes a new session with the same peer after the old one was lost. */
    interface Reconnector {
        CompletableFuture<DirectoryConnection> reconnect(PeerSessionListener listener);
    }

    /**
     * @param signaling the manual exchange; null when the directory negotiates
     * @param files     file transfer; null if the client has none
     */
    ChatConsole(TextSignalingProvider signaling, TransferConsole files, IdentityService identity, CliOptions options,
            String name, BufferedReader in, EventPrinter print) {
        this.signaling = signaling;
        this.files = files;
        this.identity = identity;
        this.options = options;
        this.name = name;
        this.print = print;
        // Reading stdin blocks; a reader thread lets the chat end when the peer hangs up.
        Thread reader = new Thread(() -> readInput(in), "p2pchat-cli-input");
        reader.setDaemon(true);
        reader.start();
    }

    private void readInput(BufferedReader in) {
        try {
            String line;
            while ((line = in.readLine()) != null) {
                input.add(Optional.of(line));
            }
        } catch (IOException e) {
            print.error("Reading input failed: " + e.getMessage());
        }
        input.add(Optional.empty());
    }

    /** The next input line; null at end of input, or once the session has ended. */
    String nextLine() throws InterruptedException {
        while (true) {
            Optional<String> line = input.poll(100, TimeUnit.MILLISECONDS);
            if (line != null) {
                if (line.isEmpty()) {
                    input.add(line); // end of input stays the answer
                }
                return line.orElse(null);
            }
            if (ended.getCount() == 0) {
                return null;
            }
        }
    }

    /** Negotiates by pasted text, then chats. @return the process exit code */
    int runManual(PeerSession manualSession) throws InterruptedException {
        session = manualSession;
        manualSession.addListener(this);
        attachFiles(manualSession);
        if (!negotiate()) {
            return 1;
        }
        return chatOnceConnected();
    }

    /** Expects the session the directory is about to create with this console as its listener. */
    void expectSession() {
        adoptNextSession = true;
    }

    /**
     * Chats over a session the directory negotiated; {@code reconnector} (may be null) makes a new
     * one when the connection is lost. @return the process exit code
     */
    int runNegotiated(DirectoryConnection connection, Reconnector reconnector) throws InterruptedException {
        this.reconnector = reconnector;
        adopt(connection);
        return chatOnceConnected();
    }

    /** Takes over a session negotiated by the directory (the first, or a reconnected one). */
    void adopt(DirectoryConnection connection) {
        adoptNextSession = false;
        session = connection.session();
        attachFiles(connection.session());
        localDescription = connection.local().description();
        remoteDescription = connection.remote().description();
        safetyShown = false;
        peerIdentity = connection.identity().orElse(null);
        if (peerIdentity == null) {
            reportUnverified();
        } else {
            reportVerified();
            filesVerified(connection.session());
        }
        if (connection.session().state() == ConnectionState.CONNECTED) {
            showSafetyNumber();
        }
    }

    /** Offers from the session's peer, and unfinished transfers with it resuming. */
    private void attachFiles(PeerSession s) {
        if (files != null) {
            files.attach(s);
        }
    }

    /** Transfers with this session's peer are bound to the key it proved (only that key resumes them). */
    private void filesVerified(PeerSession s) {
        PublicIdentity peer = peerIdentity;
        if (files != null && s != null && peer != null) {
            files.verified(s, peer);
        }
    }

    /** This profile's identity and contacts. */
    IdentityService identity() {
        return identity;
    }

    private int chatOnceConnected() throws InterruptedException {
        if (!connected.await(CONNECT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            print.error("Could not connect within " + CONNECT_TIMEOUT_SECONDS + " s (state " + session.state()
                    + "). Check that both sides used fresh descriptions and that a path exists (STUN/TURN).");
            return 1;
        }
        return chat() ? 0 : EXIT_PEER_GONE;
    }

    // ---- negotiation -------------------------------------------------------------------------

    private boolean negotiate() throws InterruptedException {
        if (options.mode() == CliOptions.Mode.OFFER) {
            SessionDescription offer = await(session.createOffer(), "create an offer");
            if (offer == null) {
                return false;
            }
            show(offer, options.form());
            print.hint("Paste your peer's answer:");
            while (true) {
                SessionDescription answer = readDescription(SessionDescription.Type.ANSWER);
                if (answer == null) {
                    return false;
                }
                remoteAppliedNanos = System.nanoTime();
                if (succeeded(session.acceptAnswer(answer), "use the answer")) {
                    return true;
                }
            }
        }
        print.hint("Paste your peer's offer:");
        while (true) {
            SessionDescription offer = readDescription(SessionDescription.Type.OFFER);
            if (offer == null) {
                return false;
            }
            remoteAppliedNanos = System.nanoTime();
            SessionDescription answer = await(session.acceptOffer(offer), "use the offer");
            if (answer != null) {
                // The web app reads only its own JSON: its users get that, whatever --form says.
                show(answer, peerIdentity == null ? TextSignalingProvider.Form.BROWSER_JSON : options.form());
                print.hint("Send this answer to your peer.");
                return true;
            }
        }
    }

    private void show(SessionDescription d, TextSignalingProvider.Form form) {
        localDescription = d;
        String text = signaling.encode(new SignedDescription(d, identity.prove(d)), form);
        String kind = d.type().wireName();
        // The web app refuses the compact form: whoever sends an offer to one of its users must know.
        String note = form == TextSignalingProvider.Form.COMPACT && d.type() == SessionDescription.Type.OFFER
                ? "A web app user cannot read this compact form: for them, start again with --form json." : null;
        print.event(kind, "Your " + kind + " (send it to your peer):\n" + text, "text", text,
                "elapsedMs", millisSince(startNanos), "note", note);
        if (note != null) {
            print.hint(note);
        }
    }

    /**
     * Reads lines until they decode as a description of the wanted type. A paste may span lines
     * (pretty-printed JSON, wrapped text); bad input is reported and the user can paste again.
     */
    private SessionDescription readDescription(SessionDescription.Type wanted) throws InterruptedException {
        StringBuilder pasted = new StringBuilder();
        int lines = 0;
        String line;
        while ((line = nextLine()) != null) {
            if (line.isBlank() && pasted.isEmpty()) {
                continue;
            }
            // An empty line ends a paste that is still waiting for more lines.
            boolean endOfPaste = line.isBlank();
            pasted.append(line).append('\n');
            lines++;
            SignedDescription d;
            try {
                d = signaling.decodeSigned(line, wanted);
            } catch (SignalingException lineError) {
                try {
                    d = signaling.decodeSigned(pasted.toString(), wanted);
                } catch (SignalingException whole) {
                    boolean unfinished = !endOfPaste && looksUnfinished(pasted) && lines < MAX_PASTE_LINES;
                    if (unfinished && moreInputWithin(PASTE_QUIET_MILLIS)) {
                        continue; // the next line of the same paste
                    }
                    print.error(unfinished ? "The pasted " + wanted.wireName() + " looks incomplete: it stops before "
                            + "its end (cut off when it was copied?). Copy all of it and paste it again."
                            : whole.getMessage());
                    print.hint("Paste the " + wanted.wireName() + " again:");
                    pasted.setLength(0);
                    lines = 0;
                    continue;
                }
            }
            pasted.setLength(0);
            lines = 0;
            if (checkIdentity(d)) {
                remoteDescription = d.description();
                return d.description();
            }
            print.hint("Paste the " + wanted.wireName() + " again:");
        }
        print.error("Input ended before a valid " + wanted.wireName() + " was pasted.");
        return null;
    }

    /** Whether a line arrives within {@code millis}; it stays queued for {@link #nextLine()}. */
    private boolean moreInputWithin(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (input.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return !input.isEmpty();
    }

    /**
     * Verifies the sender's identity proof. A description without one (the web app) is accepted
     * but marked unverified; one whose proof fails is refused.
     */
    private boolean checkIdentity(SignedDescription d) {
        if (d.proof() == null) {
            // Our clients always prove their identity: a description without a proof is the web app's.
            peerIdentity = null;
            String kind = d.description().type().wireName();
            print.event("identity", "! This " + kind + " is from the web app (it carries no identity proof): the chat "
                    + "will be encrypted but unverified.", "verified", false, "webApp", true);
            return true;
        }
        try {
            peerIdentity = identity.verify(d.description(), d.proof());
            reportVerified();
            filesVerified(session);
            return true;
        } catch (IdentityException e) {
            print.error(e.getMessage());
            return false;
        }
    }

    private void reportUnverified() {
        print.event("identity", "! Your peer's app does not prove its identity (the web app does not): this "
                + "connection is encrypted but unverified.", "verified", false);
    }

    private void reportVerified() {
        print.event("identity", "* Peer identity verified: key " + peerIdentity.fingerprint(), "verified", true,
                "fingerprint", peerIdentity.fingerprint());
    }

    /** An opened JSON object that is not closed yet: more lines of the same paste will follow. */
    private static boolean looksUnfinished(CharSequence text) {
        int depth = 0;
        boolean inString = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{') {
                depth++;
            } else if (c == '}') {
                depth--;
            }
        }
        return depth > 0;
    }

    /** Waits for {@code future}; reports a failure as "Could not {what}: reason" and returns null. */
    <T> T await(CompletableFuture<T> future, String what) {
        return succeeded(future, what) ? future.join() : null;
    }

    /** Waits for {@code future}; reports a failure as "Could not {what}: reason". */
    private boolean succeeded(CompletableFuture<?> future, String what) {
        try {
            future.get(CONNECT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return true;
        } catch (ExecutionException | CompletionException e) {
            print.error("Could not " + what + ": " + e.getCause().getMessage());
        } catch (TimeoutException e) {
            print.error("Could not " + what + ": no result after " + CONNECT_TIMEOUT_SECONDS + " s.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    // ---- chatting ----------------------------------------------------------------------------

    /** @return true if we ended the chat ({@code /quit}, end of input); false if the peer's side did */
    private boolean chat() throws InterruptedException {
        String line;
        while ((line = nextLine()) != null) {
            if (line.startsWith("/")) {
                if (!command(line.strip())) {
                    break;
                }
            } else if (!line.isEmpty()) {
                ChatMessage m = ChatMessage.create(name, line);
                PeerSession current = session;
                if (current.state() != ConnectionState.CONNECTED) {
                    print.error("Not sent: not connected (" + current.state().name().toLowerCase() + ").");
                    continue;
                }
                current.send(m).whenComplete((ok, error) -> {
                    if (error != null) {
                        print.error(cause(error).getMessage());
                    } else {
                        print.event("sent", null, "id", m.id(), "chars", m.content().length());
                    }
                });
            }
        }
        if (ended.getCount() == 0) {
            return false; // the peer hung up, or the connection was lost for good
        }
        // End of input: let what is queued go out before hanging up.
        try {
            session.send(ChatMessage.create(ChatMessage.SYSTEM_SENDER, name + " left the chat")).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // Closed or stuck: nothing more to deliver.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        session.close();
        return true;
    }

    private boolean command(String line) {
        List<String> all = words(line);
        String[] words = all.toArray(String[]::new);
        List<String> args = all.subList(1, all.size());
        switch (words[0]) {
            case "/quit", "/exit" -> {
                return false;
            }
            case "/ping" -> ping(words.length > 1 ? parseCount(words[1], 10) : 10);
            case "/bench" -> bench(words.length > 1 ? parseCount(words[1], 64) : 64);
            case "/status" -> print.event("status", "* " + session.state().name().toLowerCase()
                    + session.selectedPath().map(p -> " via " + p).orElse(""),
                    "state", session.state().name().toLowerCase(),
                    "path", session.selectedPath().map(CandidatePath::summary).orElse(null));
            case "/send" -> {
                if (files()) {
                    files.send(session, args);
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
            case "/help" -> print.hint(CliOptions.USAGE);
            default -> print.error("Unknown command " + words[0] + "; /help lists them.");
        }
        return true;
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

    private void ping(int count) {
        long[] micros = new long[count];
        for (int i = 0; i < count; i++) {
            Long nanos = await(session.ping(), "ping");
            if (nanos == null) {
                return;
            }
            micros[i] = nanos / 1000;
        }
        Arrays.sort(micros);
        long p50 = micros[(count - 1) / 2];
        long p99 = micros[(int) Math.ceil(count * 0.99) - 1];
        print.event("ping", String.format("* round trip over %d pings: p50 %.3f ms, p99 %.3f ms, max %.3f ms", count,
                p50 / 1000.0, p99 / 1000.0, micros[count - 1] / 1000.0),
                "count", count, "p50Micros", p50, "p99Micros", p99, "maxMicros", micros[count - 1]);
    }

    /** Sends {@code mib} MiB, announced by an 8-byte length, so the receiver can time it. */
    private void bench(int mib) {
        PeerDataChannel channel = await(session.openDataChannel(BENCH_CHANNEL), "open the benchmark channel");
        if (channel == null) {
            return;
        }
        long total = (long) mib << 20;
        byte[] chunk = new byte[256 * 1024];
        new java.util.Random(42).nextBytes(chunk);
        long start = System.nanoTime();
        try {
            channel.write(ByteBuffer.allocate(8).putLong(total).array(), 0, 8);
            for (long sent = 0; sent < total; sent += chunk.length) {
                channel.write(chunk, 0, (int) Math.min(chunk.length, total - sent));
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            print.event("bench-sent", String.format("* handed %d MiB to the channel in %.2f s", mib, seconds),
                    "bytes", total, "seconds", seconds);
        } catch (IOException e) {
            print.error("Benchmark stopped: " + e.getMessage());
        }
    }

    /** Counts a benchmark stream the peer sends and reports its speed. */
    private void receiveBench(PeerDataChannel channel) {
        ByteBuffer header = ByteBuffer.allocate(8);
        AtomicLong expected = new AtomicLong(-1);
        AtomicLong received = new AtomicLong();
        long[] firstByte = {0};
        channel.onReceive(bytes -> {
            int offset = 0;
            if (expected.get() < 0) {
                firstByte[0] = System.nanoTime();
                while (header.hasRemaining() && offset < bytes.length) {
                    header.put(bytes[offset++]);
                }
                if (header.hasRemaining()) {
                    return;
                }
                expected.set(header.flip().getLong());
            }
            long now = received.addAndGet(bytes.length - offset);
            if (now >= expected.get()) {
                double seconds = (System.nanoTime() - firstByte[0]) / 1e9;
                double mbPerSec = now / 1e6 / seconds;
                print.event("bench-received", String.format("* received %d MiB in %.2f s: %.1f MB/s", now >> 20, seconds,
                        mbPerSec), "bytes", now, "seconds", seconds, "mbPerSec", mbPerSec);
                channel.close();
            }
        });
    }

    // ---- session events ----------------------------------------------------------------------

    /** Whether an event comes from the session this console chats over (not a replaced one). */
    private boolean current(PeerSession s) {
        if (s != session && adoptNextSession) {
            adoptNextSession = false;
            session = s;
            attachFiles(s);
        }
        return s == session;
    }

    @Override
    public void stateChanged(PeerSession s, ConnectionState state) {
        if (!current(s)) {
            return;
        }
        String lower = state.name().toLowerCase();
        print.event("state", "* " + lower, "state", lower, "sinceStartMs", millisSince(startNanos),
                "sinceRemoteMs", remoteAppliedNanos == 0 ? null : millisSince(remoteAppliedNanos));
        if (state == ConnectionState.CONNECTED) {
            if (localDescription != null && remoteDescription != null) {
                showSafetyNumber();
            }
            connected.countDown();
        } else if (state == ConnectionState.FAILED && reconnector != null && ended.getCount() > 0) {
            reconnect(s, 1);
        } else if (state.isFinal()) {
            ended.countDown();
            connected.countDown();
        }
    }

    private synchronized void showSafetyNumber() {
        PublicIdentity peer = peerIdentity;
        if (peer != null && !safetyShown) {
            safetyShown = true;
            String number = identity.safetyNumber(peer, localDescription, remoteDescription);
            print.event("safety", "* Safety number: " + number + " (compare it with your peer over another "
                    + "channel; if it differs, someone is in the middle)", "number", number);
        }
    }

    /**
     * The connection failed (ICE gave up): ask the peer for a new one through the directory, a few
     * times with growing pauses, then give up.
     */
    private void reconnect(PeerSession failed, int attempt) {
        if (session != failed || ended.getCount() == 0) {
            return;
        }
        print.event("reconnecting", "* Connection lost; reconnecting (attempt " + attempt + " of " + RECONNECT_ATTEMPTS
                + ")...", "attempt", attempt);
        expectSession();
        reconnector.reconnect(this).whenComplete((connection, error) -> {
            if (error == null) {
                failed.close();
                adopt(connection);
                print.event("reconnected", "* Reconnected.", "attempt", attempt);
            } else if (attempt < RECONNECT_ATTEMPTS) {
                print.error("Reconnect attempt " + attempt + " failed: " + cause(error).getMessage());
                CompletableFuture.delayedExecutor(2L * attempt, TimeUnit.SECONDS).execute(() -> reconnect(failed, attempt + 1));
            } else {
                print.error("Could not reconnect: " + cause(error).getMessage());
                ended.countDown();
            }
        });
    }

    /** A reconnect request from the peer we lost (the directory's other side) has been accepted. */
    void reconnectedByPeer(DirectoryConnection connection) {
        PeerSession old = session;
        adopt(connection);
        if (old != null && old != connection.session()) {
            old.close();
        }
        print.event("reconnected", "* Reconnected by your peer.", "attempt", 0);
    }

    @Override
    public void pathSelected(PeerSession s, CandidatePath path) {
        if (!current(s)) {
            return;
        }
        print.event("path", "* path: " + path, "summary", path.summary(), "detail", path.toString());
    }

    @Override
    public void messageReceived(PeerSession s, ChatMessage m) {
        current(s); // a message from a replaced session is still shown
        if (m.isSystemNotice() && m.content().endsWith(JOINED) && peerIdentity != null) {
            rememberContact(m.content().substring(0, m.content().length() - JOINED.length()));
        }
        String human = m.isSystemNotice() ? "* " + m.content()
                : "[" + EventPrinter.clock(m.timestamp()) + "] " + m.sender() + ": " + m.content();
        print.event("message", human, "id", m.id(), "sender", m.sender(), "content", m.content(),
                "timestamp", m.timestamp());
    }

    /** Trust on first use: the key the peer has now, under the name it announced, against the one seen before. */
    private void rememberContact(String peerName) {
        Contact.Status status = identity.meet(peerName, peerIdentity);
        String human = switch (status) {
            case NEW -> "* " + peerName + " is a new contact; their key is remembered.";
            case KNOWN -> "* " + peerName + " has the same key as before.";
            case CHANGED -> "!!! WARNING: " + peerName + "'s identity key has CHANGED since you last talked. This may be "
                    + "someone else using that name. Compare the safety number with " + peerName
                    + " over another channel before trusting this chat.";
        };
        print.event("contact", human, "name", peerName, "status", status.name().toLowerCase());
    }

    @Override
    public void unknownMessage(PeerSession s, String type, String json) {
        String what = type.equals("webtorrent-file")
                ? "Your peer offered a file from the web app; file exchange with the web app is not possible"
                        + (files == null ? "." : " (the file plug-in told them so in the chat).")
                : "Your peer sent a message of type '" + type + "' that this client does not handle.";
        print.event("unknown", "* " + what, "type", type);
    }

    @Override
    public void dataChannelOpened(PeerSession s, PeerDataChannel channel) {
        current(s);
        if (BENCH_CHANNEL.equals(channel.label())) {
            receiveBench(channel);
        } else if (files != null && channel.label().startsWith(FILE_CHANNEL_PREFIX)) {
            // The file transfer's own channels: it reports what they carry.
        } else {
            print.event("channel", "* the peer opened channel '" + channel.label() + "'", "label", channel.label());
        }
    }

    @Override
    public void problem(PeerSession s, String description) {
        if (!current(s)) {
            return;
        }
        print.event("problem", "! " + description, "message", description);
    }

    private static long millisSince(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
    }

    static Throwable cause(Throwable t) {
        return (t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null
                ? t.getCause() : t;
    }
}
