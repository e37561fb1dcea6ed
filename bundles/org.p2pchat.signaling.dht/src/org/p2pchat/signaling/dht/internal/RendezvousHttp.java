package org.p2pchat.signaling.dht.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;

/**
 * HTTP/1.1 requests to one rendezvous service, with bounded answers: a broken or hostile service
 * cannot make us buffer more than a request's limit.
 */
final class RendezvousHttp implements AutoCloseable {

    /** One answer of the service. */
    record Reply(int status, String body) {

        boolean ok() {
            return status >= 200 && status < 300;
        }

        JsonElement json() throws IOException {
            try {
                return JsonParser.parseString(body);
            } catch (JsonParseException e) {
                throw new IOException("the service answered with something that is not JSON", e);
            }
        }

        /** The service's {@code {"error": reason}}, or the start of the body. */
        String reason() {
            try {
                if (JsonParser.parseString(body) instanceof JsonObject o && o.get("error") instanceof JsonPrimitive p) {
                    return Text.shortened(p.getAsString(), 200);
                }
            } catch (JsonParseException e) {
                // Not JSON: show what it is.
            }
            return body.isBlank() ? "HTTP " + status : "HTTP " + status + ": " + Text.shortened(body, 200);
        }

        /** A refusal as an exception that keeps the status. */
        ServiceRefusal refusal(String what) {
            return new ServiceRefusal(status, what + " was refused (" + reason() + ")");
        }
    }

    /** The service answered, with a status other than success. */
    static final class ServiceRefusal extends IOException {

        private static final long serialVersionUID = 1L;

        final int status;

        ServiceRefusal(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    static final int SMALL_ANSWER_BYTES = 64 * 1024;
    /** A peer list or a batch of signals (256 queued signals of up to 64 KiB would be 16 MiB). */
    static final int LARGE_ANSWER_BYTES = 16 * 1024 * 1024;

    private final URI base;
    /**
     * Made by the first request, on the link's own thread: the JDK's client sets up TLS when it is
     * made (the trust store is read), and links are made while the window is drawn.
     */
    private HttpClient client;
    private boolean closed;

    /** @param base the service's URL; requests go to its path plus the route */
    RendezvousHttp(URI base) {
        String s = base.toString();
        this.base = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
    }

    /** The path and query a route has on the wire, as the authenticated API signs it. */
    String pathAndQuery(String route) {
        String path = base.getRawPath() == null ? "" : base.getRawPath();
        return path + route;
    }

    /**
     * Sends a request; {@code authorization} is asked once per attempt (a signed request needs a
     * fresh nonce each time). A request that failed on a kept-alive connection the service had
     * just closed is sent once more: the JDK client retries only GETs by itself.
     */
    Reply send(String method, String route, byte[] body, Supplier<String> authorization, Duration timeout,
            int maxBytes) throws IOException, InterruptedException {
        try {
            return sendOnce(method, route, body, authorization, timeout, maxBytes);
        } catch (HttpTimeoutException | ConnectException e) {
            throw e;
        } catch (IOException e) {
            return sendOnce(method, route, body, authorization, timeout, maxBytes);
        }
    }

    private Reply sendOnce(String method, String route, byte[] body, Supplier<String> authorization, Duration timeout,
            int maxBytes) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + route)).timeout(timeout);
        if (body != null) {
            request.header("Content-Type", "application/json");
            request.method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        if (authorization != null) {
            request.header("Authorization", authorization.get());
        }
        HttpResponse<InputStream> response = client().send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = response.body()) {
            byte[] bytes = in.readNBytes(maxBytes + 1);
            if (bytes.length > maxBytes) {
                throw new IOException("the service's answer to " + method + " " + route + " is larger than "
                        + maxBytes / 1024 + " KiB");
            }
            return new Reply(response.statusCode(), new String(bytes, StandardCharsets.UTF_8));
        }
    }

    Reply get(String route, Supplier<String> authorization, Duration timeout, int maxBytes)
            throws IOException, InterruptedException {
        return send("GET", route, null, authorization, timeout, maxBytes);
    }

    private synchronized HttpClient client() throws IOException {
        if (closed) {
            throw new IOException("the link to " + base + " is closed");
        }
        if (client == null) {
            client = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5))
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .executor(Executors.newVirtualThreadPerTaskExecutor())
                    .build();
        }
        return client;
    }

    /** Aborts requests under way (a waiting long poll among them). */
    @Override
    public void close() {
        HttpClient made;
        synchronized (this) {
            closed = true;
            made = client;
        }
        if (made != null) {
            made.shutdownNow();
        }
    }
}
