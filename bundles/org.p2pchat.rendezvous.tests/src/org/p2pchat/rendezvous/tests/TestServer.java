package org.p2pchat.rendezvous.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.p2pchat.rendezvous.RendezvousLimits;
import org.p2pchat.rendezvous.RendezvousServer;
import org.p2pchat.rendezvous.TurnService;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * A rendezvous server on 127.0.0.1 (ephemeral port) with a clock the test moves, and an
 * HTTP/1.1 client for it. Nothing here contacts any other host.
 */
final class TestServer implements AutoCloseable {

    static final long T0 = 1_700_000_000_000L;
    /** The answer of {@code GET /v1/peers} when no peer is listed. */
    static final String NO_LISTED_PEERS = "{\"peers\":[],\"next\":null}";

    /** One answer: status, body text, and the response. */
    record Reply(int status, String body, HttpResponse<String> response) {
        JsonElement json() {
            return JsonParser.parseString(body);
        }

        /** Asserts the status and the exact body. */
        void assertIs(int expectedStatus, String expectedBody) {
            assertEquals(expectedStatus, status, body);
            assertEquals(expectedBody, body);
        }

        /** Asserts the status and the {@code {"error": reason}} shape; returns the reason. */
        String error(int expectedStatus) {
            assertEquals(expectedStatus, status, body);
            JsonObject object = json().getAsJsonObject();
            assertEquals(1, object.size(), body);
            String reason = object.get("error").getAsString();
            assertTrue(reason.length() > 10, reason);
            return reason;
        }
    }

    final AtomicLong clock = new AtomicLong(T0);
    final RendezvousServer server;
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    final URI base;

    /** The service's id from {@code GET /v1/info}, which requests are signed for; read once. */
    private volatile String serviceId;

    TestServer(RendezvousLimits limits) throws IOException {
        this(limits, null, T0);
    }

    /**
     * A server handing out credentials for {@code turn} (null: none), whose clock starts at
     * {@code startMillis} (TURN servers check credentials' expiry against the real time).
     */
    TestServer(RendezvousLimits limits, TurnService turn, long startMillis) throws IOException {
        clock.set(startMillis);
        // Every test client connects from 127.0.0.1: the cap per address would count them as one client.
        RendezvousLimits oneAddress = limits.toBuilder()
                .maxConnectionsPerAddress(Math.max(limits.maxConnectionsPerAddress(), 10_000)).build();
        server = RendezvousServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), oneAddress,
                clock::get, null, turn);
        base = URI.create("http://127.0.0.1:" + server.address().getPort());
    }

    /** The id this service publishes in {@code GET /v1/info}; signed requests name it. */
    String serviceId() {
        String id = serviceId;
        if (id == null) {
            Reply info = get("/v1/info");
            assertEquals(200, info.status(), info.body());
            id = info.json().getAsJsonObject().get("service").getAsString();
            serviceId = id;
        }
        return id;
    }

    /** The default limits with rate limiting off and the peer list never stale. */
    TestServer() throws IOException {
        this(limits(200_000, 256, 1_000_000, 0, 1, 0));
    }

    /** The default limits with these changes, and no rate limit per identity key (the clock stands still). */
    static RendezvousLimits limits(int maxPeers, int perPeer, int total, double rate, int burst, long listAge) {
        return RendezvousLimits.builder().maxPeers(maxPeers).maxSignalsPerPeer(perPeer).maxSignalsTotal(total)
                .requestsPerSecond(rate).requestBurst(burst).peerListMaxAgeMillis(listAge).requestsPerKeyPerSecond(0)
                .build();
    }

    void advance(long millis) {
        clock.addAndGet(millis);
    }

    /**
     * The wait of the fetches that push tests hold open: long enough that an answer that came only
     * when the wait ended is plainly told from one pushed while it waited.
     */
    static final int LONG_WAIT_SECONDS = 25;

    /**
     * The answer of a fetch that was waiting when a signal for it was posted at {@code postedNanos}
     * ({@link System#nanoTime()}): asserts that it came while the fetch still waited, within half of
     * its wait of {@code waitSeconds} (a signal that was not pushed is only answered when the wait ends).
     */
    static <R> R pushedAnswer(CompletableFuture<R> waiting, long postedNanos, int waitSeconds) throws Exception {
        R answer = waiting.get(waitSeconds + 10L, TimeUnit.SECONDS);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - postedNanos);
        assertTrue(millis < waitSeconds * 1000L / 2, "answered " + millis + " ms after the signal was posted, of a "
                + "wait of " + waitSeconds + " s: not pushed to the waiting fetch");
        return answer;
    }

    /** Waits until the server holds {@code count} waiting fetches (they arrive asynchronously). */
    void awaitWaitingFetches(int count) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (server.statistics().waitingFetches() != count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("expected " + count + " waiting fetches, the server holds "
                        + server.statistics().waitingFetches());
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    Reply get(String path) {
        return send(request(path).GET());
    }

    /** The first page of {@code GET /v1/peers} (200 peers by default). */
    JsonArray listedPeers() {
        Reply reply = get("/v1/peers");
        assertEquals(200, reply.status(), reply.body());
        return reply.json().getAsJsonObject().getAsJsonArray("peers");
    }

    Reply postJson(String path, String json) {
        return post(path, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    Reply post(String path, String contentType, byte[] body) {
        HttpRequest.Builder request = request(path).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return send(request);
    }

    Reply method(String method, String path, String json) {
        return send(request(path).header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json)));
    }

    Reply register(String peerId, String name) {
        return postJson("/register", "{\"peerId\":\"" + peerId + "\",\"name\":\"" + name + "\"}");
    }

    Reply signal(String from, String to, String type, String payload) {
        JsonObject body = new JsonObject();
        body.addProperty("from", from);
        body.addProperty("to", to);
        body.addProperty("type", type);
        body.addProperty("payload", payload);
        return postJson("/signal", body.toString());
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10));
    }

    /**
     * A client whose connections come from {@code localAddress}, another loopback address than
     * 127.0.0.1 (all of 127.0.0.0/8 is loopback on Linux), so that the server sees a second client address.
     */
    static HttpClient clientFrom(String localAddress) {
        try {
            return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
                    .localAddress(InetAddress.getByName(localAddress)).build();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    Reply send(HttpRequest.Builder request) {
        return send(client, request);
    }

    /** Sends with another client, such as one of {@link #clientFrom}. */
    Reply send(HttpClient from, HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = from.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.body(), response);
        } catch (IOException e) {
            throw new AssertionError("request failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        client.close();
        server.close();
    }
}
