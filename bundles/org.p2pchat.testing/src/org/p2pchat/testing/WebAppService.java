package org.p2pchat.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/** The web app's "DHT" (HTTP mailbox) API, called the way the web app calls it; for {@link WebAppPeer}. */
final class WebAppService implements AutoCloseable {

    private final URI service;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    WebAppService(URI service) {
        this.service = service;
    }

    /** {@code POST /register {peerId, name, lastSeen}}. */
    void register(String peerId, String name, long lastSeen) throws Exception {
        JsonObject body = new JsonObject();
        body.addProperty("peerId", peerId);
        body.addProperty("name", name);
        body.addProperty("lastSeen", lastSeen);
        expect(201, post("/register", body), "POST /register");
    }

    /** {@code POST /signal {from, to, type, payload}}, the payload a JSON string; returns the body posted. */
    JsonObject signal(String from, String to, String type, String payload) throws Exception {
        JsonObject body = new JsonObject();
        body.addProperty("from", from);
        body.addProperty("to", to);
        body.addProperty("type", type);
        body.addProperty("payload", payload);
        expect(201, post("/signal", body), "POST /signal (" + type + ")");
        return body;
    }

    /** {@code GET /signal/:peerId}: what is queued for {@code peerId}, which the service then forgets. */
    JsonArray fetch(String peerId) throws Exception {
        HttpResponse<String> r = get("/signal/" + peerId);
        expect(200, r, "GET /signal");
        return JsonParser.parseString(r.body()).getAsJsonArray();
    }

    /** {@code GET /peers}. */
    List<JsonObject> peers() throws Exception {
        HttpResponse<String> r = get("/peers");
        expect(200, r, "GET /peers");
        List<JsonObject> peers = new ArrayList<>();
        for (JsonElement e : JsonParser.parseString(r.body()).getAsJsonArray()) {
            peers.add(e.getAsJsonObject());
        }
        return peers;
    }

    private HttpResponse<String> get(String route) throws Exception {
        return http.send(HttpRequest.newBuilder(service.resolve(route)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String route, JsonObject body) throws Exception {
        return http.send(HttpRequest.newBuilder(service.resolve(route)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void expect(int status, HttpResponse<String> r, String what) {
        if (r.statusCode() != status) {
            throw new AssertionError(what + " answered " + r.statusCode() + ": " + r.body());
        }
    }

    @Override
    public void close() {
        http.shutdownNow();
    }
}
