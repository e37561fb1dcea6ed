package org.p2pchat.core.health;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Health checks for services reached over HTTP or TCP: rendezvous services and trackers. Each
 * call blocks for at most {@link #TIMEOUT}; run it off the UI thread.
 */
public final class ServiceHealth {

    public static final Duration TIMEOUT = Duration.ofSeconds(5);

    private ServiceHealth() {
    }

    /** {@code GET <url>/health}, which the web app's rendezvous service and ours both answer. */
    public static HealthStatus checkRendezvous(String url) {
        long start = System.nanoTime();
        URI health;
        try {
            health = new URI(url.endsWith("/") ? url + "health" : url + "/health");
        } catch (URISyntaxException e) {
            return HealthStatus.failed("not a valid URL: " + e.getReason(), since(start));
        }
        HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER).build();
        try {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(health).timeout(TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            Duration took = since(start);
            if (response.statusCode() == 200 && response.body().contains("\"status\"")) {
                return HealthStatus.ok("healthy, answered in " + took.toMillis() + " ms", took);
            }
            return new HealthStatus(HealthStatus.Level.WARNING, "answered HTTP " + response.statusCode()
                    + " but not as a rendezvous service would", took);
        } catch (IOException e) {
            return HealthStatus.failed("no answer: " + describe(e), since(start));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return HealthStatus.failed("check interrupted", since(start));
        } catch (IllegalArgumentException e) {
            return HealthStatus.failed("cannot check this URL: " + e.getMessage(), since(start));
        } finally {
            client.shutdownNow();
        }
    }

    /**
     * Whether a tracker accepts connections. HTTP and WebSocket trackers are checked by opening a
     * TCP connection; UDP trackers cannot be checked without announcing a torrent.
     */
    public static HealthStatus checkTracker(String url) {
        long start = System.nanoTime();
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return HealthStatus.failed("not a valid URL: " + e.getReason(), since(start));
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
        int port = uri.getPort() > 0 ? uri.getPort() : switch (scheme) {
            case "http", "ws" -> 80;
            case "https", "wss" -> 443;
            default -> -1;
        };
        if (scheme.equals("udp")) {
            return new HealthStatus(HealthStatus.Level.UNKNOWN, "UDP trackers can only be checked by using them", since(start));
        }
        if (port < 0 || uri.getHost() == null) {
            return HealthStatus.failed("cannot check a '" + scheme + "' URL", since(start));
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(uri.getHost(), port), (int) TIMEOUT.toMillis());
            Duration took = since(start);
            return HealthStatus.ok("accepts connections (" + took.toMillis() + " ms)", took);
        } catch (IOException e) {
            return HealthStatus.failed("no connection: " + describe(e), since(start));
        }
    }

    private static String describe(IOException e) {
        if (e instanceof java.net.ConnectException && (e.getMessage() == null || e.getMessage().isBlank())) {
            return "connection refused";
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
