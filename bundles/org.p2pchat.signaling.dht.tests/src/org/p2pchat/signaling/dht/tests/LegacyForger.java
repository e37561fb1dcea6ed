package org.p2pchat.signaling.dht.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.p2pchat.core.PeerSession;
import org.p2pchat.core.SessionConfig;

/**
 * A raw client of the legacy API for forging: registers as {@code user-<ms>-<name>}, posts any
 * signal from any id, and reads its mailbox. Its sessions are real ones of the transport. The web
 * app itself is played by {@link org.p2pchat.testing.WebAppPeer}.
 */
final class LegacyForger implements AutoCloseable {

    final String name;
    final String id;
    final SessionEvents events = new SessionEvents();
    private final URI service;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final List<JsonObject> unclaimed = new ArrayList<>();
    private PeerSession session;

    LegacyForger(URI service, String name) throws Exception {
        this.service = service;
        this.name = name;
        this.id = "user-" + System.currentTimeMillis() + "-" + name;
        JsonObject body = new JsonObject();
        body.addProperty("peerId", id);
        body.addProperty("name", name);
        assertEquals(201, post("/register", body.toString()).statusCode());
    }

    /** Registers another id under {@code peerName}, as anyone may. */
    void register(String peerId, String peerName) throws Exception {
        JsonObject body = new JsonObject();
        body.addProperty("peerId", peerId);
        body.addProperty("name", peerName);
        assertEquals(201, post("/register", body.toString()).statusCode());
    }

    /** A fresh real session (the previous one is closed). */
    PeerSession newSession() throws Exception {
        if (session != null) {
            session.close();
        }
        session = Registered.transport().createSession(SessionConfig.of(List.of(), name));
        session.addListener(events);
        return session;
    }

    HttpResponse<String> post(String route, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(service + route)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The directory as the web app shows it ({@code GET /peers}): every peer of the legacy API. */
    List<JsonObject> peers() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(service + "/peers"))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), "GET /peers");
        List<JsonObject> peers = new ArrayList<>();
        for (JsonElement e : JsonParser.parseString(r.body()).getAsJsonArray()) {
            peers.add(e.getAsJsonObject());
        }
        return peers;
    }

    /** The id the web app's list shows for someone called {@code name}; null if nobody (or on failure). */
    String listedAs(String name) {
        try {
            return peers().stream().filter(p -> p.get("name").getAsString().equals(name))
                    .map(p -> p.get("peerId").getAsString()).findFirst().orElse(null);
        } catch (Exception e) {
            return null;
        }
    }

    /** Queues a signal as the web app posts it; {@code from} may be anyone's id (nothing checks it). */
    void signal(String from, String to, String type, JsonElement payload) throws Exception {
        JsonObject body = new JsonObject();
        body.addProperty("from", from);
        body.addProperty("to", to);
        body.addProperty("type", type);
        body.add("payload", payload);
        assertEquals(201, post("/signal", body.toString()).statusCode(), "POST /signal " + type);
    }

    void signal(String to, String type, String payload) throws Exception {
        signal(id, to, type, new com.google.gson.JsonPrimitive(payload));
    }

    /** The next signal of {@code type} in our mailbox, keeping others for later. */
    JsonObject awaitSignal(String type) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Await.SECONDS);
        while (System.nanoTime() < deadline) {
            for (JsonObject s : unclaimed) {
                if (s.get("type").getAsString().equals(type)) {
                    unclaimed.remove(s);
                    return s;
                }
            }
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(service + "/signal/" + id))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            for (JsonElement e : JsonParser.parseString(r.body()).getAsJsonArray()) {
                unclaimed.add(e.getAsJsonObject());
            }
            Thread.sleep(200);
        }
        throw new AssertionError(name + " got no " + type + " within " + Await.SECONDS + " s");
    }

    @Override
    public void close() {
        if (session != null) {
            session.close();
        }
        http.shutdownNow();
    }
}
