package org.p2pchat.testing;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import dev.onvoid.webrtc.CreateSessionDescriptionObserver;
import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.PeerConnectionObserver;
import dev.onvoid.webrtc.RTCAnswerOptions;
import dev.onvoid.webrtc.RTCConfiguration;
import dev.onvoid.webrtc.RTCDataChannel;
import dev.onvoid.webrtc.RTCDataChannelBuffer;
import dev.onvoid.webrtc.RTCDataChannelInit;
import dev.onvoid.webrtc.RTCDataChannelObserver;
import dev.onvoid.webrtc.RTCDataChannelState;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCIceGatheringState;
import dev.onvoid.webrtc.RTCOfferOptions;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCSdpType;
import dev.onvoid.webrtc.RTCSessionDescription;
import dev.onvoid.webrtc.SetSessionDescriptionObserver;
import dev.onvoid.webrtc.media.audio.HeadlessAudioDeviceModule;

/**
 * A stand-in for a user of the original web app on its "DHT" (HTTP mailbox) API, doing what the
 * web app's code does, with a real WebRTC peer connection of its own (webrtc-java, not our
 * transport, so nothing of our client leaks in):
 * <ul>
 * <li>registers as {@code user-<ms>-<name>} ({@code {peerId, name, lastSeen}}) and polls
 * {@code GET /signal/<id>} every 2 s for as long as it lives;</li>
 * <li>Connect: a {@code chat} channel, an offer posted once ICE gathering is complete (5 s cap)
 * as {@code JSON.stringify(localDescription)}; every local candidate also goes out on its own as
 * an {@code ice-candidate} signal the moment it is gathered;</li>
 * <li>Accept: registers <em>again under a new id</em> and polls that one from then on, then sends
 * its candidates and its answer from the new id (the old registration stays listed until the
 * service expires it);</li>
 * <li>on the channel: the join notice {@code {id, sender:"system", content:"<name> joined the chat",
 * timestamp}} with no client marker, chat messages {@code {id, sender, content, timestamp}} and
 * file offers {@code {type:"webtorrent-file", ...}}, as text frames.</li>
 * </ul>
 * Signals it received are kept ({@link #awaitSignal}) so tests can look at what our client sent.
 */
public final class WebAppPeer implements AutoCloseable {

    /** The web app polls its mailbox this often. */
    public static final Duration POLL_INTERVAL = Duration.ofSeconds(2);
    /** The web app waits this long for ICE gathering, then sends what it has. */
    private static final long GATHERING_CAP_MS = 5000;
    private static final long WAIT_SECONDS = 30;

    private static PeerConnectionFactory factory;
    private static HeadlessAudioDeviceModule audio;
    private static int factoryUsers;

    private final WebAppService service;
    private final String name;
    /** The client the join notice names ({@link #introduceAs}); the web app names none. */
    private volatile String introducedAs;
    private final List<String> ids = new CopyOnWriteArrayList<>();
    /** Offers waiting for Accept (the web app's "peer-connection-request"). */
    private final BlockingQueue<JsonObject> requests = new LinkedBlockingQueue<>();
    /** Every signal the mailbox delivered, for tests to look at. */
    private final BlockingQueue<JsonObject> delivered = new LinkedBlockingQueue<>();
    /** Every JSON text that arrived on the chat channel. */
    private final BlockingQueue<JsonObject> received = new LinkedBlockingQueue<>();
    private final List<JsonObject> candidateBuffer = new ArrayList<>();
    private final List<JsonObject> sentSignals = new CopyOnWriteArrayList<>();
    /** Every JSON object that arrived on its channels, in order, kept for good (not taken by the awaits). */
    private final List<JsonObject> everyMessage = new CopyOnWriteArrayList<>();
    /** Binary frames that arrived: the web app has no use for them. */
    private final java.util.concurrent.atomic.AtomicInteger binaryFrames = new java.util.concurrent.atomic.AtomicInteger();
    /** Labels of the data channels the peer opened. */
    private final List<String> channelsOpenedByPeer = new CopyOnWriteArrayList<>();
    private final Thread poller;
    private volatile String id;
    /** The web app's {@code window._currentRemotePeer}: where its candidates go. */
    private volatile String remotePeer;
    private volatile RTCPeerConnection pc;
    private volatile RTCDataChannel channel;
    private volatile CompletableFuture<Void> open = new CompletableFuture<>();
    private volatile CompletableFuture<Void> gathered = new CompletableFuture<>();
    private volatile boolean closed;

    /** Registers with {@code service} as {@code name} and starts polling, as "Connect to DHT" does. */
    public WebAppPeer(URI service, String name) throws Exception {
        this.service = new WebAppService(service);
        this.name = name;
        register();
        poller = new Thread(this::poll, "web-app-" + name + "-poll");
        poller.setDaemon(true);
        poller.start();
    }

    /** The id it polls now (the newest registration). */
    public String id() {
        return id;
    }

    /** Every id it registered, oldest first. */
    public List<String> ids() {
        return List.copyOf(ids);
    }

    public String name() {
        return name;
    }

    // ---- the directory ----

    private synchronized void register() throws Exception {
        long now = System.currentTimeMillis();
        String last = id;
        if (last != null && last.startsWith("user-" + now + "-")) {
            now++; // two registrations within one millisecond would get the same id
        }
        String next = "user-" + now + "-" + name;
        service.register(next, name, now);
        id = next;
        ids.add(next);
    }

    /** {@code GET /peers}, as the web app's list shows it. */
    public List<JsonObject> peers() throws Exception {
        return service.peers();
    }

    /** The id the web app's list shows for someone called {@code peerName}; null if nobody (or on failure). */
    public String listedAs(String peerName) {
        try {
            return peers().stream().filter(p -> p.get("name").getAsString().equals(peerName))
                    .map(p -> p.get("peerId").getAsString()).findFirst().orElse(null);
        } catch (Exception e) {
            return null;
        }
    }

    /** {@code POST /signal} from our current id, the payload a JSON string as the web app sends it. */
    private void signal(String to, String type, String payload) throws Exception {
        sentSignals.add(service.signal(id, to, type, payload));
    }

    /** The signals it posted so far ({@code from, to, type, payload}). */
    public List<JsonObject> sentSignals() {
        return List.copyOf(sentSignals);
    }

    // ---- the mailbox ----

    private void poll() {
        while (!closed) {
            try {
                handle(service.fetch(id));
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                // The web app logs "Error checking for signals" and polls again.
            }
            try {
                Thread.sleep(POLL_INTERVAL);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** As the web app's handleIncomingSignals: candidates buffered, the first offer shown, the first answer applied. */
    private void handle(JsonArray signals) {
        JsonObject offer = null;
        JsonObject answer = null;
        for (JsonElement e : signals) {
            if (!(e instanceof JsonObject s) || !s.has("type")) {
                continue;
            }
            delivered.add(s);
            switch (s.get("type").getAsString()) {
                case "ice-candidate" -> {
                    synchronized (candidateBuffer) {
                        candidateBuffer.add(s);
                    }
                }
                case "offer" -> offer = offer == null ? s : offer;
                case "answer" -> answer = answer == null ? s : answer;
                default -> {
                    // reconnect-offer and the rest: the web app reacts to them only while connected.
                }
            }
        }
        if (offer != null) {
            requests.add(offer);
        }
        RTCPeerConnection connection = pc;
        if (answer != null && connection != null) {
            JsonObject description = JsonParser.parseString(answer.get("payload").getAsString()).getAsJsonObject();
            CompletableFuture<Void> set = new CompletableFuture<>();
            connection.setRemoteDescription(new RTCSessionDescription(RTCSdpType.ANSWER,
                    description.get("sdp").getAsString()), completing(set));
            set.join();
            applyBufferedCandidates();
        }
    }

    private void applyBufferedCandidates() {
        List<JsonObject> buffered;
        synchronized (candidateBuffer) {
            buffered = List.copyOf(candidateBuffer);
            candidateBuffer.clear();
        }
        for (JsonObject s : buffered) {
            try {
                JsonObject c = JsonParser.parseString(s.get("payload").getAsString()).getAsJsonObject();
                pc.addIceCandidate(new RTCIceCandidate(c.get("sdpMid").getAsString(), c.get("sdpMLineIndex").getAsInt(),
                        c.get("candidate").getAsString()));
            } catch (RuntimeException | Error e) {
                // "Error adding buffered ICE candidate": logged, ignored.
            }
        }
    }

    /** The next connection request (an offer signal: {@code from, type, payload}); fails after a while. */
    public JsonObject awaitRequest() throws InterruptedException {
        JsonObject r = requests.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        if (r == null) {
            throw new AssertionError(name + " got no connection request within " + WAIT_SECONDS + " s");
        }
        return r;
    }

    /** The next delivered signal of {@code type}, skipping others. */
    public JsonObject awaitSignal(String type) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (System.nanoTime() < deadline) {
            JsonObject s = delivered.poll(100, TimeUnit.MILLISECONDS);
            if (s != null && s.get("type").getAsString().equals(type)) {
                return s;
            }
        }
        throw new AssertionError(name + " got no " + type + " signal within " + WAIT_SECONDS + " s");
    }

    // ---- connecting ----

    /** The Connect button: an offer to {@code peerId} from our current id. */
    public void connect(String peerId) throws Exception {
        remotePeer = peerId;
        synchronized (candidateBuffer) {
            candidateBuffer.clear();
        }
        RTCPeerConnection connection = newConnection();
        RTCDataChannelInit init = new RTCDataChannelInit();
        init.ordered = true;
        attach(connection.createDataChannel("chat", init));
        CompletableFuture<RTCSessionDescription> offer = new CompletableFuture<>();
        connection.createOffer(new RTCOfferOptions(), describing(connection, offer));
        signal(peerId, "offer", descriptionJson(offer.get(WAIT_SECONDS, TimeUnit.SECONDS)));
    }

    /**
     * The Accept button on a request from {@link #awaitRequest()}: registers again under a new id
     * and polls that one, then answers from it.
     */
    public void accept(JsonObject request) throws Exception {
        register();
        String from = request.get("from").getAsString();
        remotePeer = from;
        RTCPeerConnection connection = newConnection();
        JsonObject offer = JsonParser.parseString(request.get("payload").getAsString()).getAsJsonObject();
        CompletableFuture<Void> set = new CompletableFuture<>();
        connection.setRemoteDescription(new RTCSessionDescription(RTCSdpType.OFFER, offer.get("sdp").getAsString()),
                completing(set));
        set.get(WAIT_SECONDS, TimeUnit.SECONDS);
        applyBufferedCandidates();
        CompletableFuture<RTCSessionDescription> answer = new CompletableFuture<>();
        connection.createAnswer(new RTCAnswerOptions(), describing(connection, answer));
        signal(from, "answer", descriptionJson(answer.get(WAIT_SECONDS, TimeUnit.SECONDS)));
    }

    private RTCPeerConnection newConnection() throws Exception {
        hangUp();
        open = new CompletableFuture<>();
        gathered = new CompletableFuture<>();
        RTCPeerConnection connection = factory().createPeerConnection(new RTCConfiguration(), new PeerConnectionObserver() {
            @Override
            public void onIceCandidate(RTCIceCandidate candidate) {
                String to = remotePeer;
                if (to == null) {
                    return;
                }
                JsonObject c = new JsonObject(); // JSON.stringify(RTCIceCandidate)
                c.addProperty("candidate", candidate.sdp);
                c.addProperty("sdpMid", candidate.sdpMid);
                c.addProperty("sdpMLineIndex", candidate.sdpMLineIndex);
                c.addProperty("usernameFragment", ufrag(candidate.sdp));
                Thread.ofVirtual().start(() -> {
                    try {
                        signal(to, "ice-candidate", c.toString());
                    } catch (Exception e) {
                        // "Error sending ICE candidate"
                    }
                });
            }

            @Override
            public void onIceGatheringChange(RTCIceGatheringState state) {
                if (state == RTCIceGatheringState.COMPLETE) {
                    gathered.complete(null);
                }
            }

            @Override
            public void onDataChannel(RTCDataChannel dataChannel) {
                channelsOpenedByPeer.add(dataChannel.getLabel());
                attach(dataChannel);
            }
        });
        pc = connection;
        return connection;
    }

    private static String ufrag(String candidate) {
        String[] words = candidate.split(" ");
        for (int i = 0; i + 1 < words.length; i++) {
            if (words[i].equals("ufrag")) {
                return words[i + 1];
            }
        }
        return "";
    }

    /** Sets the local description, then waits for gathering (5 s at most) and hands out the full one. */
    private CreateSessionDescriptionObserver describing(RTCPeerConnection connection,
            CompletableFuture<RTCSessionDescription> result) {
        return new CreateSessionDescriptionObserver() {
            @Override
            public void onSuccess(RTCSessionDescription description) {
                CompletableFuture<Void> set = new CompletableFuture<>();
                connection.setLocalDescription(description, completing(set));
                set.thenCompose(v -> gathered.completeOnTimeout(null, GATHERING_CAP_MS, TimeUnit.MILLISECONDS))
                        .thenRun(() -> result.complete(connection.getLocalDescription()))
                        .exceptionally(t -> {
                            result.completeExceptionally(t);
                            return null;
                        });
            }

            @Override
            public void onFailure(String error) {
                result.completeExceptionally(new IllegalStateException(error));
            }
        };
    }

    private static SetSessionDescriptionObserver completing(CompletableFuture<Void> done) {
        return new SetSessionDescriptionObserver() {
            @Override
            public void onSuccess() {
                done.complete(null);
            }

            @Override
            public void onFailure(String error) {
                done.completeExceptionally(new IllegalStateException(error));
            }
        };
    }

    /** {@code JSON.stringify(pc.localDescription)}. */
    private static String descriptionJson(RTCSessionDescription d) {
        JsonObject o = new JsonObject();
        o.addProperty("type", d.sdpType == RTCSdpType.OFFER ? "offer" : "answer");
        o.addProperty("sdp", d.sdp);
        return o.toString();
    }

    // ---- the chat channel ----

    private void attach(RTCDataChannel dataChannel) {
        channel = dataChannel;
        CompletableFuture<Void> opened = open;
        dataChannel.registerObserver(new RTCDataChannelObserver() {
            @Override
            public void onBufferedAmountChange(long previousAmount) {
            }

            @Override
            public void onStateChange() {
                if (dataChannel.getState() == RTCDataChannelState.OPEN && !opened.isDone()) {
                    JsonObject join = new JsonObject();
                    join.addProperty("id", Long.toString(System.currentTimeMillis(), 36));
                    join.addProperty("sender", "system");
                    join.addProperty("content", name + " joined the chat");
                    join.addProperty("timestamp", System.currentTimeMillis());
                    if (introducedAs != null) {
                        join.addProperty("client", introducedAs);
                    }
                    send(dataChannel, join);
                    opened.complete(null);
                }
            }

            @Override
            public void onMessage(RTCDataChannelBuffer buffer) {
                ByteBuffer data = buffer.data; // freed after the callback: copied here
                byte[] bytes = new byte[data.remaining()];
                data.get(bytes);
                if (buffer.binary) {
                    binaryFrames.incrementAndGet();
                }
                try {
                    if (!buffer.binary && JsonParser.parseString(new String(bytes, StandardCharsets.UTF_8))
                            instanceof JsonObject o) {
                        everyMessage.add(o);
                        received.add(o);
                    }
                } catch (RuntimeException e) {
                    // The web app logs a parse error and shows nothing.
                }
            }
        });
    }

    private static void send(RTCDataChannel dataChannel, JsonObject message) {
        byte[] bytes = message.toString().getBytes(StandardCharsets.UTF_8);
        try {
            dataChannel.send(new RTCDataChannelBuffer(ByteBuffer.wrap(bytes), false));
        } catch (Exception e) {
            throw new IllegalStateException("could not send on the chat channel: " + e.getMessage(), e);
        }
    }

    /** Waits until the chat channel is open (the web app then shows "connected"). */
    public void awaitOpen() throws Exception {
        open.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    /**
     * Makes the join notice name {@code client} (as our clients' does), so that a test can speak
     * our clients' protocol by hand ({@link #sendRaw}); call before connecting.
     */
    public void introduceAs(String client) {
        introducedAs = client;
    }

    /** Sends {@code message} on the chat channel as it is, as one text frame. */
    public void sendRaw(JsonObject message) {
        send(channel, message);
    }

    /** Sends a chat line as the web app's sendMessage does. */
    public void say(String text) {
        JsonObject m = new JsonObject();
        m.addProperty("id", Long.toString(System.currentTimeMillis(), 36) + Long.toString(System.nanoTime() % 46656, 36));
        m.addProperty("sender", name);
        m.addProperty("content", text);
        m.addProperty("timestamp", System.currentTimeMillis());
        send(channel, m);
    }

    /** Offers a file the web app's way (a WebTorrent magnet our client cannot join). */
    public void offerFile(String fileName, long size) {
        String infoHash = "0123456789abcdef0123456789abcdef01234567";
        JsonObject m = new JsonObject();
        m.addProperty("id", Long.toString(System.currentTimeMillis(), 36));
        m.addProperty("type", "webtorrent-file");
        m.addProperty("fileName", fileName);
        m.addProperty("fileSize", size);
        m.addProperty("fileType", "text/plain");
        m.addProperty("infoHash", infoHash);
        m.addProperty("magnetURI", "magnet:?xt=urn:btih:" + infoHash + "&dn=" + fileName);
        m.addProperty("timestamp", System.currentTimeMillis());
        m.addProperty("sender", name);
        send(channel, m);
    }

    /** The next message on the chat channel that {@code wanted} accepts, skipping others. */
    public JsonObject awaitMessage(Predicate<JsonObject> wanted, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (System.nanoTime() < deadline) {
            JsonObject m = received.poll(100, TimeUnit.MILLISECONDS);
            if (m != null && wanted.test(m)) {
                return m;
            }
        }
        throw new AssertionError(name + " got no " + what + " within " + WAIT_SECONDS + " s");
    }

    /** The next chat line that is not a system notice. */
    public JsonObject nextChat() throws InterruptedException {
        return awaitMessage(m -> m.has("content") && !m.has("type") && m.has("sender")
                && !"system".equals(m.get("sender").getAsString()), "chat message");
    }

    /** Every JSON object that arrived so far (text frames), oldest first, whether awaited or not. */
    public List<JsonObject> everyMessage() {
        return List.copyOf(everyMessage);
    }

    /** How many binary frames arrived so far. */
    public int binaryFrames() {
        return binaryFrames.get();
    }

    /** The labels of the data channels the peer opened so far (the chat channel when it connected). */
    public List<String> channelsOpenedByPeer() {
        return List.copyOf(channelsOpenedByPeer);
    }

    /** Closes the connection, as the web app's disconnect does (channel, then peer connection). */
    public void hangUp() {
        RTCDataChannel c = channel;
        RTCPeerConnection p = pc;
        channel = null;
        pc = null;
        try {
            if (c != null) {
                c.unregisterObserver();
                c.close();
                c.dispose();
            }
            if (p != null) {
                p.close();
            }
        } catch (RuntimeException e) {
            // already gone
        }
    }

    @Override
    public void close() {
        closed = true;
        poller.interrupt();
        hangUp();
        service.close();
        releaseFactory();
    }

    // ---- one WebRTC factory for the stand-ins of a test run ----

    private boolean usesFactory; // guarded by WebAppPeer.class

    private PeerConnectionFactory factory() {
        synchronized (WebAppPeer.class) {
            if (factory == null) {
                audio = new HeadlessAudioDeviceModule();
                factory = new PeerConnectionFactory(audio);
            }
            if (!usesFactory) {
                usesFactory = true;
                factoryUsers++;
            }
            return factory;
        }
    }

    /** The last stand-in closed disposes of the factory: libwebrtc keeps the JVM alive until then. */
    private void releaseFactory() {
        synchronized (WebAppPeer.class) {
            if (usesFactory && --factoryUsers == 0) {
                factory.dispose();
                audio.dispose();
                factory = null;
                audio = null;
            }
            usesFactory = false;
        }
    }
}
