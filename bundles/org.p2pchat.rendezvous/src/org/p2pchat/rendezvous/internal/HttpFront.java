package org.p2pchat.rendezvous.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.jetty.http.HttpCompliance;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.p2pchat.rendezvous.auth.SignedRequest;
import org.p2pchat.rendezvous.RendezvousLimits;
import org.p2pchat.rendezvous.RendezvousServer;
import org.p2pchat.rendezvous.TurnService;

/**
 * The HTTP side of the service on Eclipse Jetty 12 (core handlers, no servlets): the legacy API
 * here, the authenticated one ({@code /v1}) in {@link SignedApi}. Every refusal is a 4xx with
 * {@code {"error": "<reason>"}}; CORS is open like the original's {@code app.use(cors())} so the
 * browser web app can call it from another origin.
 *
 * <p>No request holds a thread while it waits: bodies are read as they arrive and a waiting
 * {@code /v1} fetch is answered when its signal comes or its wait ends. Jetty bounds the request
 * headers, the open connections and idle connections; {@link ConnectionGuard} bounds connections
 * per address and the time a request may take to arrive (see {@link RendezvousLimits}).
 */
public final class HttpFront extends Handler.Abstract {

    private static final System.Logger LOG = System.getLogger(HttpFront.class.getName());
    private static final String ROUTES =
            "the routes are POST /register, GET /peers, POST /signal, GET /signal/:peerId, GET /health"
            + " (the authenticated API is under /v1, see GET /v1/info)";
    private static final long SWEEP_SECONDS = 5;
    /** How long a close waits for answers under way (waiting fetches get their 503 in it). */
    private static final long CLOSE_GRACE_MILLIS = 1000;
    /** application/json with optional parameters; group 1 is the charset if one is given. */
    private static final Pattern JSON_MEDIA_TYPE = Pattern.compile(
            "\\s*application/json\\s*(?:;(?:.*;)?\\s*charset\\s*=\\s*\"?([^\";\\s]*)\"?\\s*(?:;.*)?|;.*)?",
            Pattern.CASE_INSENSITIVE);
    static final String JSON_TYPE = "application/json; charset=utf-8";
    /** Handling never blocks (no thread waits for a body or a signal), so a few threads serve every request. */
    private static final int MAX_THREADS = 32;
    private static final int MIN_THREADS = 4;
    /** How much of a body over the limit is read after the 413, in body limits (as the JDK server's front did). */
    private static final long DRAIN_BODY_LIMITS = 16;

    private final Rendezvous rendezvous;
    private final SignedRendezvous signedRendezvous;
    private final RequestAuthenticator authenticator;
    private final SignedApi signedApi;
    private final RateLimiter limiter;
    private final TurnCredentials turn;
    private final Server server;
    private final ServerConnector connector;
    private final ConnectionGuard guard;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("rendezvous-sweeper").factory());

    private HttpFront(InetSocketAddress address, RendezvousLimits limits, LongSupplier clock,
            RendezvousServer.Tls tls, TurnService turnService) {
        long now = clock.getAsLong();
        this.signedRendezvous = new SignedRendezvous(limits, clock, new SignalBudget("/v1", limits));
        this.rendezvous = new Rendezvous(limits, clock, new SignalBudget("legacy", limits), signedRendezvous::isListed);
        this.authenticator = new RequestAuthenticator(limits, now, signedRendezvous::liveSession,
                signedRendezvous::isRegistered);
        this.limiter = new RateLimiter(limits.requestsPerSecond(), limits.requestBurst(),
                limits.maxTrackedAddresses(), now);

        QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, MIN_THREADS);
        threads.setName("rendezvous-http");
        threads.setDaemon(true);
        this.server = new Server(threads);
        this.turn = turnService == null ? null
                : new TurnCredentials(turnService, limits.maxTrackedKeys(), limits.maxTrackedAddresses(), now);
        this.signedApi = new SignedApi(limits, clock, signedRendezvous, authenticator, new SessionKeys(), threads,
                turn);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setRequestHeaderSize(limits.maxRequestHeaderBytes());
        http.setIdleTimeout(limits.idleTimeoutMillis());
        // Paths are routed as sent and decoded here (a bad encoding gets the service's own 400), so
        // Jetty is told to take any path: nothing here maps a path to a file.
        http.setUriCompliance(UriCompliance.UNSAFE);
        http.setHttpCompliance(HttpCompliance.RFC7230);
        // Signatures, MACs and nonces are base64url, where case matters: Jetty's per-connection cache
        // of header lines matched them ignoring case and then served the earlier line.
        http.setHeaderCacheCaseSensitive(true);
        if (tls == null) {
            this.connector = new ServerConnector(server, new HttpConnectionFactory(http));
        } else {
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setKeyStorePath(tls.keyStore().toAbsolutePath());
            ssl.setKeyStoreType("PKCS12");
            ssl.setKeyStorePassword(tls.password());
            // Clients may reach the service by any name or address; the certificate is theirs to check.
            http.addCustomizer(new SecureRequestCustomizer(false));
            this.connector = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"),
                    new HttpConnectionFactory(http));
        }
        connector.setHost(address.getAddress().getHostAddress());
        connector.setPort(address.getPort());
        connector.setIdleTimeout(limits.idleTimeoutMillis());
        connector.setAcceptQueueSize(1024);
        this.guard = new ConnectionGuard(limits.maxConnectionsPerAddress(), limits.requestTimeoutMillis());
        connector.addEventListener(guard);
        server.addConnector(connector);
        server.addBean(new NetworkConnectionLimit(limits.maxConnections(), connector));
        server.setErrorHandler(new JsonErrors());
        server.setHandler(this);
    }

    /** Starts the front; {@code tls} null: plain HTTP; {@code turn} null: no TURN credentials. */
    public static HttpFront start(InetSocketAddress address, RendezvousLimits limits, LongSupplier clock,
            RendezvousServer.Tls tls, TurnService turn) throws IOException {
        HttpFront front = new HttpFront(address, limits, clock, tls, turn);
        try {
            front.server.start();
        } catch (Exception e) {
            front.stopQuietly();
            // Jetty wraps the reason ("Failed to bind to ...": "Address already in use"); the caller names the address.
            Throwable reason = e;
            while (reason.getCause() != null && reason.getCause().getMessage() != null) {
                reason = reason.getCause();
            }
            throw new IOException(reason.getMessage(), e);
        }
        front.sweeper.scheduleWithFixedDelay(front::scheduledSweep, SWEEP_SECONDS, SWEEP_SECONDS, TimeUnit.SECONDS);
        front.sweeper.scheduleWithFixedDelay(front::checkConnections, 1, 1, TimeUnit.SECONDS);
        return front;
    }

    public InetSocketAddress address() {
        String host = connector.getHost();
        return new InetSocketAddress(host == null ? "0.0.0.0" : host, connector.getLocalPort());
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
        if (turn != null) {
            turn.sweep(now);
        }
    }

    public RendezvousServer.Statistics statistics() {
        return new RendezvousServer.Statistics(rendezvous.size(), signedRendezvous.size(),
                rendezvous.budget().signals() + signedRendezvous.budget().signals(),
                rendezvous.budget().bytes() + signedRendezvous.budget().bytes(), signedRendezvous.waitingFetches(),
                authenticator.rememberedNonces(), signedRendezvous.sessions(), authenticator.signatureChecks());
    }

    public void close() {
        sweeper.shutdownNow();
        // Waiting fetches end now (503); give them and other answers under way up to a second.
        signedRendezvous.close();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_GRACE_MILLIS);
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        stopQuietly();
    }

    private void stopQuietly() {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.log(Level.WARNING, "stopping the HTTP server failed", e);
        }
    }

    private void scheduledSweep() {
        // Throwable: after an Error (an OutOfMemoryError, say) the next sweep must still free memory.
        try {
            sweep();
        } catch (Throwable e) {
            LOG.log(Level.WARNING, "rendezvous sweep failed", e);
        }
    }

    private void checkConnections() {
        try {
            guard.check();
        } catch (Throwable e) {
            LOG.log(Level.WARNING, "connection check failed", e);
        }
    }

    @Override
    public boolean handle(Request request, org.eclipse.jetty.server.Response response, Callback callback) {
        inFlight.incrementAndGet();
        Connection connection = request.getConnectionMetaData().getConnection();
        guard.requestBegins(connection);
        Request.addCompletionListener(request, failure -> {
            guard.requestEnds(connection);
            inFlight.decrementAndGet();
        });
        response.getHeaders().put("Access-Control-Allow-Origin", "*");
        Exchange exchange = new Exchange(request, response, rendezvous.limits().maxBodyBytes());
        if (!limiter.tryAcquire(exchange.remoteAddress(), rendezvous.now())) {
            guard.bodyRead(connection);
            sendError(exchange, request, response, callback, new ApiException(429, "too many requests from this address"
                    + " (limit " + rendezvous.limits().requestsPerSecond() + " per second, burst "
                    + rendezvous.limits().requestBurst() + "); retry after 1 s"));
            return true;
        }
        long length = request.getLength();
        if (length > rendezvous.limits().maxBodyBytes()) {
            // Answered at once, unread (413 where the route reads the body); the connection closes.
            guard.bodyRead(connection);
            exchange.setBody(new byte[0], true);
            answer(exchange, request, response, drainThen(request, connection, callback));
            return true;
        }
        new BodyReader(request, rendezvous.limits().maxBodyBytes(), length, (body, tooLarge) -> {
            guard.bodyRead(connection);
            exchange.setBody(body, tooLarge);
            answer(exchange, request, response, tooLarge ? drainThen(request, connection, callback) : callback);
        }, callback::failed).run();
        return true;
    }

    /**
     * For an answer to a body over the limit: once the answer is written, reads and drops up to
     * {@link #DRAIN_BODY_LIMITS} times the limit more of the body before the request ends (and the
     * connection closes). A client usually sends its whole body before it reads the answer, and a
     * connection closed on unread bytes is reset, which would lose the answer it has not read yet.
     * The request deadline bounds the wait for a body that never comes.
     */
    private Callback drainThen(Request request, Connection connection, Callback callback) {
        long cap = DRAIN_BODY_LIMITS * rendezvous.limits().maxBodyBytes();
        return Callback.from(() -> {
            guard.drainBegins(connection);
            new Runnable() {
                private long drained;

                @Override
                public void run() {
                    while (true) {
                        Content.Chunk chunk = request.read();
                        if (chunk == null) {
                            request.demand(this);
                            return;
                        }
                        drained += chunk.remaining();
                        boolean done = chunk.isLast() || Content.Chunk.isFailure(chunk) || drained > cap;
                        chunk.release();
                        if (done) {
                            callback.succeeded(); // the answer is out; the connection closes now
                            return;
                        }
                    }
                }
            }.run();
        }, callback::failed);
    }

    /** Routes the request and sends its answer, now or when a waiting answer completes. */
    private void answer(Exchange exchange, Request request, org.eclipse.jetty.server.Response response,
            Callback callback) {
        Response answer;
        try {
            answer = route(exchange);
        } catch (ApiException e) {
            sendError(exchange, request, response, callback, e);
            return;
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "rendezvous request failed", e);
            sendError(exchange, request, response, callback, new ApiException(500, "internal error"));
            return;
        }
        if (answer.later() == null) {
            send(exchange, request, response, callback, answer.status(), answer.body());
            return;
        }
        answer.later().whenComplete((body, failure) -> {
            if (failure == null) {
                send(exchange, request, response, callback, 200, body);
            } else if (unwrap(failure) instanceof ApiException e) {
                sendError(exchange, request, response, callback, e);
            } else {
                LOG.log(Level.ERROR, "rendezvous request failed", failure);
                sendError(exchange, request, response, callback, new ApiException(500, "internal error"));
            }
        });
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private Response route(Exchange exchange) throws ApiException {
        String method = exchange.method();
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
                String signalId = rendezvous.signal(signalBody, exchange.remoteAddress());
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

    private static String path(Exchange exchange) {
        String path = exchange.rawPath();
        if (path.isEmpty()) {
            return "/";
        }
        // Express's default (non-strict) routing treats "/peers/" like "/peers".
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    static void require(Exchange exchange, String allowed, boolean ok) throws ApiException {
        if (!ok) {
            exchange.setResponseHeader("Allow", allowed + ", OPTIONS");
            throw new ApiException(405, "method " + exchange.method() + " is not allowed on "
                    + exchange.rawPath() + "; use " + allowed);
        }
    }

    /** The answer of the {@code cors} middleware's defaults to a preflight request. */
    private static void preflight(Exchange exchange) {
        exchange.setResponseHeader("Access-Control-Allow-Methods", "GET,HEAD,PUT,PATCH,POST,DELETE");
        String requested = exchange.header("Access-Control-Request-Headers");
        if (requested != null) {
            exchange.setResponseHeader("Access-Control-Allow-Headers", requested);
            exchange.setResponseHeader("Vary", "Access-Control-Request-Headers");
        }
    }

    /** The JSON body of a POST, bounded and checked for its media type. */
    private static byte[] body(Exchange exchange) throws ApiException {
        requireJson(exchange);
        return exchange.body();
    }

    /** 415 unless the request says its body is JSON in UTF-8. */
    static void requireJson(Exchange exchange) throws ApiException {
        String type = exchange.header("Content-Type");
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

    private static void sendError(Exchange exchange, Request request, org.eclipse.jetty.server.Response response,
            Callback callback, ApiException e) {
        if (e.status() == 429 || e.status() == 503) {
            exchange.setResponseHeader("Retry-After", "1");
        }
        if (e.status() == 401) {
            exchange.setResponseHeader("WWW-Authenticate", SignedRequest.SCHEME);
        }
        send(exchange, request, response, callback, e.status(), Json.error(e.getMessage()));
    }

    private static void send(Exchange exchange, Request request, org.eclipse.jetty.server.Response response,
            Callback callback, int status, byte[] body) {
        response.setStatus(status);
        if (exchange.bodyTooLarge()) {
            // The rest of the body is not read: the connection cannot carry another request.
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
        }
        if (body == null) {
            response.write(true, null, callback);
            return;
        }
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, JSON_TYPE);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, request.getMethod().equals("HEAD") ? null : ByteBuffer.wrap(body), callback);
    }
}
