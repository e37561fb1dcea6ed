package org.p2pchat.signaling.dht.tests;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * An HTTP relay in front of the real rendezvous server, as a reverse proxy (or an attacker
 * running the service) would be: it passes requests on unchanged, and can hide the authenticated
 * API (a service of the web app's kind) or rewrite the signals it hands out (a man in the middle).
 * It notes how long the {@code /v1} signals fetches asked to wait and how soon each signal was handed out.
 */
final class ServiceRelay implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final URI target;
    volatile boolean hideAuthenticatedApi;
    /** Applied to the body of every successful signals fetch, both APIs. */
    volatile UnaryOperator<String> signalsRewriter = UnaryOperator.identity();
    /** The {@code wait} of every {@code /v1/signals} fetch that passed, in arrival order. */
    final List<Integer> fetchWaits = new CopyOnWriteArrayList<>();
    /**
     * For every {@code /v1} signal handed out: the milliseconds from its {@code POST /v1/signal}
     * arriving here to the fetch answer that carried it leaving (signals are told apart by payload).
     */
    final List<Long> deliveryMillis = new CopyOnWriteArrayList<>();
    private final Map<String, Long> postedAt = new ConcurrentHashMap<>();

    ServiceRelay(InetSocketAddress address, URI target) throws IOException {
        this.target = target;
        server = HttpServer.create(address, 64);
        server.setExecutor(executor);
        server.createContext("/", this::relay);
        server.start();
    }

    InetSocketAddress address() {
        return server.getAddress();
    }

    private void relay(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            String query = exchange.getRequestURI().getRawQuery();
            if (hideAuthenticatedApi && path.startsWith("/v1")) {
                answer(exchange, 404, "{\"error\":\"no route " + exchange.getRequestMethod() + " " + path + "\"}");
                return;
            }
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            boolean v1Signals = path.equals("/v1/signals");
            if (v1Signals) {
                fetchWaits.add(waitOf(query));
            } else if (path.equals("/v1/signal") && exchange.getRequestMethod().equals("POST")) {
                String payload = payloads("[" + new String(body, StandardCharsets.UTF_8) + "]").findFirst().orElse(null);
                if (payload != null) {
                    postedAt.put(payload, System.nanoTime());
                }
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target + path + (query == null ? "" : "?" + query)))
                    .timeout(Duration.ofSeconds(45))
                    .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            for (String header : new String[] { "Content-Type", "Authorization" }) {
                String value = exchange.getRequestHeaders().getFirst(header);
                if (value != null) {
                    request.header(header, value);
                }
            }
            HttpResponse<String> response;
            try {
                response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                answer(exchange, 502, "{\"error\":\"the service behind the relay does not answer\"}");
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            String reply = response.body();
            boolean signals = path.startsWith("/v1/signals") || path.startsWith("/signal/");
            if (signals && response.statusCode() == 200) {
                reply = signalsRewriter.apply(reply);
            }
            answer(exchange, response.statusCode(), reply);
            if (v1Signals && response.statusCode() == 200) {
                long now = System.nanoTime();
                payloads(reply).map(postedAt::remove).filter(Objects::nonNull)
                        .forEach(posted -> deliveryMillis.add(TimeUnit.NANOSECONDS.toMillis(now - posted)));
            }
        }
    }

    private static int waitOf(String query) {
        for (String parameter : query == null ? new String[0] : query.split("&")) {
            if (parameter.startsWith("wait=")) {
                return Integer.parseInt(parameter.substring(5));
            }
        }
        return 0;
    }

    /** The string payloads of a JSON array of signals; none if it is not one. */
    private static Stream<String> payloads(String signals) {
        try {
            return JsonParser.parseString(signals).getAsJsonArray().asList().stream()
                    .filter(JsonElement::isJsonObject).map(e -> e.getAsJsonObject().get("payload"))
                    .filter(p -> p != null && p.isJsonPrimitive()).map(JsonElement::getAsString);
        } catch (RuntimeException e) {
            return Stream.empty();
        }
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        client.shutdownNow();
        executor.shutdownNow();
    }
}
