package org.p2pchat.signaling.dht.tests;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.p2pchat.core.identity.IdentityService;
import org.p2pchat.core.internal.identity.Ed25519IdentityService;
import org.p2pchat.rendezvous.auth.SignedRequest;

/**
 * A hand-driven client of the authenticated API with an identity of its own: it signs its
 * requests correctly but sends whatever a test wants (a misbehaving or hostile peer).
 */
final class SignedClient implements AutoCloseable {

    final IdentityService identity;
    private final URI service;
    /** The service's id from GET /v1/info, which requests are signed for. */
    private final String serviceId;
    private final HttpClient http;

    SignedClient(URI service, String name) throws Exception {
        this(service, name, null);
    }

    /** A client whose connections come from {@code localAddress} (null: any), e.g. another test address. */
    SignedClient(URI service, String name, InetAddress localAddress) throws Exception {
        this.service = service;
        HttpClient.Builder client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2));
        this.http = (localAddress == null ? client : client.localAddress(localAddress)).build();
        this.identity = new Ed25519IdentityService(Files.createTempDirectory("p2pchat-dht-" + name));
        HttpResponse<String> info = http.send(HttpRequest.newBuilder(URI.create(service + "/v1/info"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        expect(200, info);
        this.serviceId = JsonParser.parseString(info.body()).getAsJsonObject().get("service").getAsString();
        JsonObject body = new JsonObject();
        body.addProperty("name", name);
        body.addProperty("listed", false);
        expect(200, send("POST", "/v1/register", body.toString()));
    }

    String id() {
        return identity.self().key();
    }

    HttpResponse<String> send(String method, String route, String json) throws Exception {
        byte[] body = json == null ? null : json.getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(service + route)).timeout(Duration.ofSeconds(10))
                .header("Authorization", SignedRequest.sign(identity.self(), identity::sign, serviceId, method, route, body).toHeader())
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A fetch that waits up to {@code seconds} for a signal, sent now; its answer comes later. */
    CompletableFuture<HttpResponse<String>> holdLongPoll(int seconds) {
        String route = "/v1/signals?wait=" + seconds;
        HttpRequest request = HttpRequest.newBuilder(URI.create(service + route)).timeout(Duration.ofSeconds(seconds + 10))
                .header("Authorization", SignedRequest.sign(identity.self(), identity::sign, serviceId, "GET", route, null).toHeader()).GET().build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    void signal(String to, String type, String payload) throws Exception {
        JsonObject body = new JsonObject();
        body.addProperty("to", to);
        body.addProperty("type", type);
        body.addProperty("payload", payload);
        expect(201, send("POST", "/v1/signal", body.toString()));
    }

    /** Signals for us until one of {@code type} arrived; returns it. */
    JsonObject awaitSignal(String type) throws Exception {
        return awaitSignal(type, s -> true);
    }

    /** Signals for us until one of {@code type} that is {@code wanted} arrived; returns it, dropping the others. */
    JsonObject awaitSignal(String type, java.util.function.Predicate<JsonObject> wanted) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Await.SECONDS);
        List<String> seen = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = send("GET", "/v1/signals?wait=1", null);
            expect(200, r);
            for (JsonElement e : JsonParser.parseString(r.body()).getAsJsonArray()) {
                JsonObject s = e.getAsJsonObject();
                if (s.get("type").getAsString().equals(type) && wanted.test(s)) {
                    return s;
                }
                seen.add(s.get("type").getAsString());
            }
        }
        throw new AssertionError("no " + type + " within " + Await.SECONDS + " s; saw " + seen);
    }

    private static void expect(int status, HttpResponse<String> r) {
        if (r.statusCode() != status) {
            throw new AssertionError(r.request().method() + " " + r.request().uri() + ": expected " + status
                    + ", got " + r.statusCode() + " " + r.body());
        }
    }

    @Override
    public void close() {
        http.shutdownNow();
    }
}
