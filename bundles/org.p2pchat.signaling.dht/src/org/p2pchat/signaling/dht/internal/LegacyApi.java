package org.p2pchat.signaling.dht.internal;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.google.gson.JsonObject;


/**
 * The original web app's API: {@code POST /register}, {@code GET /peers}, {@code POST /signal},
 * {@code GET /signal/:peerId}. Nothing is authenticated (anyone can read or forge anyone's
 * signals), every peer is listed, and signals are polled, as the web app does.
 */
final class LegacyApi implements RendezvousApi {

    private static final Pattern WEB_APP_ID = Pattern.compile("user-(\\d{1,15})-(.*)", Pattern.DOTALL);

    private final URI service;
    private final RendezvousHttp http;
    private final DhtTimings timings;
    private final String ourId;
    private final String name;
    /** The identity key we are registered with on the service's {@code /v1}, while we are its twin there; else null. */
    private volatile String twinOf;

    LegacyApi(URI service, RendezvousHttp http, DhtTimings timings, String ourId, String name) {
        this.service = service;
        this.http = http;
        this.timings = timings;
        this.ourId = ourId;
        this.name = name;
    }

    /** An id of the web app's shape, {@code user-<ms>-<name>}. */
    static String newId(String name) {
        return "user-" + System.currentTimeMillis() + "-" + name;
    }

    /** The name inside a web app id, or the id itself if it has another shape. */
    static String nameInId(String id) {
        Matcher m = WEB_APP_ID.matcher(id);
        return Text.name(m.matches() ? m.group(2) : id, JsonFields.MAX_NAME_CHARS);
    }

    /** The name inside an id of the web app's shape; null for an id of another shape. */
    static String webAppName(String id) {
        Matcher m = WEB_APP_ID.matcher(id);
        return m.matches() ? Text.name(m.group(2), JsonFields.MAX_NAME_CHARS) : null;
    }

    /** When an id of the web app's shape was made (its client's clock, ms); 0 for an id of another shape. */
    static long madeAt(String id) {
        Matcher m = WEB_APP_ID.matcher(id);
        return m.matches() ? Long.parseLong(m.group(1)) : 0;
    }

    /**
     * Registers from now on as the twin of our {@code /v1} registration under {@code key} (null: as
     * a peer of this API only), so that our service lists it only while that registration is listed.
     */
    void twinOf(String key) {
        twinOf = key;
    }

    @Override
    public String name() {
        return "legacy";
    }

    @Override
    public boolean authenticated() {
        return false;
    }

    @Override
    public String ourId() {
        return ourId;
    }

    @Override
    public Duration register() throws IOException, InterruptedException {
        JsonObject body = new JsonObject();
        body.addProperty("peerId", ourId);
        body.addProperty("name", name);
        String key = twinOf;
        if (key != null) {
            body.addProperty("twinOf", key);
        }
        RendezvousHttp.Reply reply = post("/register", body);
        if (!reply.ok()) {
            throw reply.refusal("Registering");
        }
        return timings.reregisterInterval();
    }

    @Override
    public void unregister() {
        // The legacy API has no way to leave; the registration expires after 120 s.
    }

    @Override
    public List<Signal> fetch() throws IOException, InterruptedException {
        RendezvousHttp.Reply reply = http.get("/signal/" + Text.pathSegment(ourId), null, timings.requestTimeout(),
                RendezvousHttp.LARGE_ANSWER_BYTES);
        if (!reply.ok()) {
            throw reply.refusal("Fetching signals");
        }
        return JsonFields.signals(reply.json(), service);
    }

    @Override
    public Duration pauseAfterFetch() {
        return timings.legacyPollInterval();
    }

    @Override
    public boolean carries(String type) {
        return !type.equals(Signal.REJECT) && !type.equals(Signal.CANCEL);
    }

    @Override
    public void send(String to, String type, String payload) throws IOException, InterruptedException {
        JsonObject body = new JsonObject();
        body.addProperty("from", ourId);
        body.addProperty("to", to);
        body.addProperty("type", type);
        body.addProperty("payload", payload);
        RendezvousHttp.Reply reply = post("/signal", body);
        if (!reply.ok()) {
            throw reply.refusal("Sending the " + type);
        }
    }

    @Override
    public List<ServicePeer> peers() throws IOException, InterruptedException {
        RendezvousHttp.Reply reply = http.get("/peers", null, timings.requestTimeout(), RendezvousHttp.LARGE_ANSWER_BYTES);
        if (!reply.ok()) {
            throw reply.refusal("Listing peers");
        }
        return JsonFields.peers(reply.json(), "peerId", service, false);
    }

    @Override
    public Optional<ServicePeer> peer(String id) {
        return Optional.empty();
    }

    private RendezvousHttp.Reply post(String route, JsonObject body) throws IOException, InterruptedException {
        return http.send("POST", route, body.toString().getBytes(StandardCharsets.UTF_8), null, timings.requestTimeout(),
                RendezvousHttp.SMALL_ANSWER_BYTES);
    }
}
