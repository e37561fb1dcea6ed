package org.p2pchat.rendezvous.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.p2pchat.core.identity.SignedRequest;
import org.p2pchat.rendezvous.RendezvousLimits;
import org.p2pchat.rendezvous.RendezvousServer;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The HTTP side of the service on the JDK's {@code com.sun.net.httpserver}, one virtual thread per
 * exchange: the legacy API here, the authenticated one ({@code /v1}) in {@link SignedApi}. Every
 * refusal is a 4xx with {@code {"error": "<reason>"}}; CORS is open like the original's
 * {@code app.use(cors())} so the browser web app can call it from another origin.
 */
public final class HttpFront {

    private static final System.Logger LOG = System.getLogger(HttpFront.class.getName());
    private static final String ROUTES =
            "the routes are POST /register, GET /peers, POST /signal, GET /signal/:peerId, GET /health"
            + " (the authenticated API is under /v1, see GET /v1/info)";
    private static final long SWEEP_SECONDS = 5;
    /** application/json with optional parameters; group 1 is the charset if one is given. */
    private static final Pattern JSON_MEDIA_TYPE = Pattern.compile(
            "\\s*application/json\\s*(?:;(?:.*;)?\\s*charset\\s*=\\s*\"?([^\";\\s]*)\"?\\s*(?:;.*)?|;.*)?",
            Pattern.CASE_INSENSITIVE);

    static {
        // The JDK server sends a response's headers and its body in separate writes; with Nagle's
        // algorithm a body that is not a whole segment then waits for the client's delayed ACK
        // (40 ms on Linux), which held every /v1/peers page (about 20 KB) up: 1,100 pages/s instead
        // of 4,700. The JDK reads this once, when the first HttpServer of the JVM starts.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final Rendezvous rendezvous;
    private final SignedRendezvous signedRendezvous;
    private final RequestAuthenticator authenticator;
    private final SignedApi signedApi;
    private final RateLimiter limiter;
    private final HttpServer server;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("rendezvous-sweeper").factory());

    private HttpFront(InetSocketAddress address, RendezvousLimits limits, LongSupplier clock) throws IOException {
        long now = clock.getAsLong();
        this.rendezvous = new Rendezvous(limits, clock, new SignalBudget("legacy", limits));
        this.signedRendezvous = new SignedRendezvous(limits, clock, new SignalBudget("/v1", limits));
        this.authenticator = new RequestAuthenticator(limits, now, signedRendezvous::liveSession,
                signedRendezvous::isRegistered);
        this.signedApi = new SignedApi(limits, clock, signedRendezvous, authenticator, new SessionKeys());
        this.limiter = new RateLimiter(limits.requestsPerSecond(), limits.requestBurst(),
                limits.maxTrackedAddresses(), now);
        this.server = HttpServer.create(address, 1024);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
    }

    public static HttpFront start(InetSocketAddress address, RendezvousLimits limits, LongSupplier clock)
            throws IOException {
        HttpFront front = new HttpFront(address, limits, clock);
        front.server.start();
        front.sweeper.scheduleWithFixedDelay(front::scheduledSweep, SWEEP_SECONDS, SWEEP_SECONDS, TimeUnit.SECONDS);
        return front;
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** The id {@code /v1} requests are signed for. */
    public String serviceId() {
        return authenticator.serviceId();
    }

    /** Drops expired peers, signals, nonces and idle rate-limit buckets now. */
    public void sweep() {
        long now = rendezvous.now();
        rendezvous.sweep();
        signedRendezvous.sweep();
        authenticator.sweep(now);
        limiter.sweep(now);
    }

    public RendezvousServer.Statistics statistics() {
        return new RendezvousServer.Statistics(rendezvous.size(), signedRendezvous.size(),
                rendezvous.budget().signals() + signedRendezvous.budget().signals(),
                rendezvous.budget().bytes() + signedRendezvous.budget().bytes(), signedRendezvous.waitingFetches(),
                authenticator.rememberedNonces(), signedRendezvous.sessions(), authenticator.signatureChecks());
    }

    public void close() {
        sweeper.shutdownNow();
        // Waiting fetches end now (503); otherwise stop() would wait for them.
        signedRendezvous.close();
        // Give requests under way up to a second; with none, close at once (stop(1) would wait
        // the whole second for idle keep-alive connections).
        server.stop(inFlight.get() == 0 ? 0 : 1);
        executor.shutdownNow();
    }

    private void scheduledSweep() {
        try {
            sweep();
        } catch (RuntimeException | Error e) {
            // Also after an Error (OutOfMemoryError): a sweep that stops for good never frees memory again.
            LOG.log(Level.WARNING, "rendezvous sweep failed", e);
        }
    }

    private void handle(HttpExchange exchange) {
        inFlight.incrementAndGet();
        try (exchange) {
            exchange.getResponseHeaders().set("Access-Control-Allow-Origin", "*");
            try {
                Response response = route(exchange);
                send(exchange, response.status(), response.body());
            } catch (ApiException e) {
                if (e.status() == 429 || e.status() == 503) {
                    exchange.getResponseHeaders().set("Retry-After", "1");
                }
                if (e.status() == 401) {
                    exchange.getResponseHeaders().set("WWW-Authenticate", SignedRequest.SCHEME);
                }
                send(exchange, e.status(), Json.error(e.getMessage()));
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "rendezvous request failed", e);
                send(exchange, 500, Json.error("internal error"));
            }
        } catch (IOException e) {
            // The client went away; nothing to answer.
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private Response route(HttpExchange exchange) throws ApiException, IOException {
        if (!limiter.tryAcquire(exchange.getRemoteAddress().getAddress(), rendezvous.now())) {
            throw new ApiException(429, "too many requests from this address (limit "
                    + rendezvous.limits().requestsPerSecond() + " per second, burst "
                    + rendezvous.limits().requestBurst() + "); retry after 1 s");
        }
        String method = exchange.getRequestMethod();
        String path = path(exchange);
        if (method.equals("OPTIONS")) {
            preflight(exchange);
            return new Response(204, null);
        }
        if (path.equals("/v1") || path.startsWith("/v1/")) {
            return signedApi.route(exchange, method, path);
        }
        boolean get = method.equals("GET") || method.equals("HEAD");
        switch (path) {
            case "/register":
                require(exchange, "POST", method.equals("POST"));
                String peerId = rendezvous.register(Json.parseObject(body(exchange)));
                return new Response(201, Json.write(out -> out.beginObject()
                        .name("peerId").value(peerId).name("success").value(true).endObject()));
            case "/signal":
                require(exchange, "POST", method.equals("POST"));
                byte[] signalBody = body(exchange);
                String signalId = rendezvous.signal(signalBody, exchange.getRemoteAddress().getAddress());
                return new Response(201, Json.write(out -> out.beginObject()
                        .name("success").value(true).name("signalId").value(signalId).endObject()));
            case "/peers":
                require(exchange, "GET, HEAD", get);
                return new Response(200, rendezvous.peersJson());
            case "/health":
                require(exchange, "GET, HEAD", get);
                long now = rendezvous.now();
                return new Response(200, Json.write(out -> out.beginObject()
                        .name("status").value("healthy").name("timestamp").value(now).endObject()));
            default:
                String rest = path.startsWith("/signal/") ? path.substring("/signal/".length()) : "";
                if (rest.isEmpty() || rest.indexOf('/') >= 0) {
                    throw new ApiException(404, "no route " + method + " " + path + "; " + ROUTES);
                }
                // GET only: fetching clears the queue, and a HEAD (which Express would route to the
                // same handler) must not throw signals away unseen.
                require(exchange, "GET", method.equals("GET"));
                return new Response(200, rendezvous.takeSignals(decode(rest)));
        }
    }

    private static String path(HttpExchange exchange) {
        String path = exchange.getRequestURI().getRawPath();
        if (path == null || path.isEmpty()) {
            return "/";
        }
        // Express's default (non-strict) routing treats "/peers/" like "/peers".
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    static void require(HttpExchange exchange, String allowed, boolean ok) throws ApiException {
        if (!ok) {
            exchange.getResponseHeaders().set("Allow", allowed + ", OPTIONS");
            throw new ApiException(405, "method " + exchange.getRequestMethod() + " is not allowed on "
                    + exchange.getRequestURI().getRawPath() + "; use " + allowed);
        }
    }

    /** The answer of the {@code cors} middleware's defaults to a preflight request. */
    private static void preflight(HttpExchange exchange) {
        Headers headers = exchange.getResponseHeaders();
        headers.set("Access-Control-Allow-Methods", "GET,HEAD,PUT,PATCH,POST,DELETE");
        String requested = exchange.getRequestHeaders().getFirst("Access-Control-Request-Headers");
        if (requested != null) {
            headers.set("Access-Control-Allow-Headers", requested);
            headers.set("Vary", "Access-Control-Request-Headers");
        }
    }

    /** The JSON body of a POST, bounded and checked for its media type. */
    private byte[] body(HttpExchange exchange) throws ApiException, IOException {
        requireJson(exchange);
        return readBody(exchange, rendezvous.limits().maxBodyBytes());
    }

    /** 415 unless the request says its body is JSON in UTF-8. */
    static void requireJson(HttpExchange exchange) throws ApiException {
        String type = exchange.getRequestHeaders().getFirst("Content-Type");
        Matcher json = type == null ? null : JSON_MEDIA_TYPE.matcher(type);
        if (json == null || !json.matches()) {
            // The original (express.json()) leaves such a body unparsed and then fails with a 500.
            throw new ApiException(415, "Content-Type must be application/json, was "
                    + (type == null ? "missing" : "\"" + type + "\""));
        }
        if (json.group(1) != null && !json.group(1).equalsIgnoreCase("utf-8")) {
            throw new ApiException(415, "the JSON body must be UTF-8, Content-Type was \"" + type + "\"");
        }
    }

    /** The request body, at most {@code max} bytes (413 beyond). */
    static byte[] readBody(HttpExchange exchange, int max) throws ApiException, IOException {
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        InputStream in = exchange.getRequestBody();
        if (length != null) {
            try {
                if (Long.parseLong(length.trim()) > max) {
                    throw tooLarge(max);
                }
            } catch (NumberFormatException e) {
                throw new ApiException(400, "Content-Length is not a number: " + Json.excerpt(length));
            }
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream(Math.min(max, 4096));
        byte[] buffer = new byte[8192];
        for (int n; (n = in.read(buffer)) > 0;) {
            body.write(buffer, 0, n);
            if (body.size() > max) {
                throw tooLarge(max);
            }
        }
        return body.toByteArray();
    }

    private static ApiException tooLarge(int max) {
        return new ApiException(413, "request body exceeds " + max + " bytes");
    }

    /**
     * Reads (and discards) what is left of the request body before answering: a client usually
     * sends its whole body before reading the answer, and a connection left with unread bytes is
     * closed by the JDK server under a client that may reuse it. A body much larger than the limit
     * is not read to its end; the connection is closed instead ({@code Connection: close}).
     */
    private void discardBody(HttpExchange exchange) throws IOException {
        long cap = 16L * rendezvous.limits().maxBodyBytes();
        long drained = 0;
        InputStream in = exchange.getRequestBody();
        byte[] buffer = new byte[8192];
        for (int n; drained <= cap && (n = in.read(buffer)) > 0;) {
            drained += n;
        }
        if (drained > cap) {
            exchange.getResponseHeaders().set("Connection", "close");
        }
    }

    /** Percent-decodes a path segment as UTF-8 (Express's decodeURIComponent; '+' stays '+'). */
    static String decode(String raw) throws ApiException {
        return decode(raw, "the peer id in the path");
    }

    /** Percent-decodes {@code raw} as UTF-8 ('+' stays '+'); a refusal names it as {@code what}. */
    static String decode(String raw, String what) throws ApiException {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        ByteBuffer bytes = ByteBuffer.allocate(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                int hi = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
                int lo = hi >= 0 ? Character.digit(raw.charAt(i + 2), 16) : -1;
                if (lo < 0) {
                    throw new ApiException(400, what + " has a bad percent-encoding: " + Json.excerpt(raw));
                }
                bytes.put((byte) (hi << 4 | lo));
                i += 2;
            } else {
                bytes.put((byte) c);
            }
        }
        try {
            return Json.utf8(bytes.flip());
        } catch (CharacterCodingException e) {
            throw new ApiException(400, what + " is not percent-encoded UTF-8: " + Json.excerpt(raw));
        }
    }

    private void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        discardBody(exchange);
        boolean noBody = body == null || exchange.getRequestMethod().equals("HEAD");
        if (body != null) {
            exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        }
        exchange.sendResponseHeaders(status, noBody ? -1 : body.length);
        if (!noBody) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
