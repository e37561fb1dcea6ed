package org.p2pchat.rendezvous.internal;

import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

import org.p2pchat.rendezvous.auth.SignedRequest;
import org.p2pchat.rendezvous.RendezvousLimits;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/** The HTTP routes of the authenticated API ({@code /v1}), as the bundle's API.md describes them. */
final class SignedApi {

    private static final String ROUTES = "the /v1 routes are GET /v1/info, POST and DELETE /v1/register,"
            + " GET /v1/peers?limit=<1.." + SignedRendezvous.MAX_PAGE_PEERS + ">&after=<id>, GET /v1/peers/<id>,"
            + " POST /v1/signal, GET /v1/signals?wait=<0.." + SignedRendezvous.MAX_WAIT_SECONDS + ">, GET /v1/turn";
    private static final String PEERS_QUERY = "the query parameters of /v1/peers are limit=<1.."
            + SignedRendezvous.MAX_PAGE_PEERS + "> and after=<id>, each at most once";
    private static final byte[] SUCCESS = Json.write(out -> out.beginObject().name("success").value(true).endObject());

    private final RendezvousLimits limits;
    private final LongSupplier clock;
    private final SignedRendezvous rendezvous;
    private final RequestAuthenticator authenticator;
    private final SessionKeys sessionKeys;
    /** {@code GET /v1/info}: version 2 binds requests to the service id given here. */
    private final byte[] info;
    /** Where waiting fetches are answered. */
    private final Executor executor;
    /** The TURN credentials {@code GET /v1/turn} issues; null when this service offers no TURN. */
    private final TurnCredentials turn;

    SignedApi(RendezvousLimits limits, LongSupplier clock, SignedRendezvous rendezvous,
            RequestAuthenticator authenticator, SessionKeys sessionKeys, Executor executor, TurnCredentials turn) {
        this.limits = limits;
        this.clock = clock;
        this.rendezvous = rendezvous;
        this.authenticator = authenticator;
        this.sessionKeys = sessionKeys;
        this.info = Json.write(out -> out.beginObject().name("api").value("p2pchat-rendezvous").name("version")
                .value(2).name("push").value("long-poll").name("service").value(authenticator.serviceId())
                .name("turn").value(turn != null).endObject());
        this.executor = executor;
        this.turn = turn;
    }

    /** Answers a request whose (normalised) path is {@code /v1} or below it. */
    Response route(Exchange exchange, String method, String path) throws ApiException {
        boolean get = method.equals("GET") || method.equals("HEAD");
        switch (path) {
            case "/v1/info":
                HttpFront.require(exchange, "GET, HEAD", get);
                return new Response(200, info);
            case "/v1/register":
                if (method.equals("POST")) {
                    return register(exchange);
                }
                HttpFront.require(exchange, "POST, DELETE", method.equals("DELETE"));
                byte[] deleteBody = exchange.body();
                rendezvous.unregister(authenticate(exchange, deleteBody, false).key());
                return new Response(200, SUCCESS);
            case "/v1/peers": {
                HttpFront.require(exchange, "GET, HEAD", get);
                PageQuery page = pageQuery(exchange.rawQuery());
                return new Response(200, rendezvous.listedPeersPage(page.after(), page.limit()));
            }
            case "/v1/signal": {
                HttpFront.require(exchange, "POST", method.equals("POST"));
                byte[] body = jsonBody(exchange);
                String from = authenticate(exchange, body, false).key();
                String signalId = rendezvous.signal(from, Json.parseObject(body),
                        exchange.remoteAddress());
                return new Response(201, Json.write(out -> out.beginObject().name("success").value(true)
                        .name("signalId").value(signalId).endObject()));
            }
            case "/v1/signals": {
                // GET only: fetching empties the queue, and a HEAD must not throw signals away unseen.
                HttpFront.require(exchange, "GET", method.equals("GET"));
                int wait = waitSeconds(exchange.rawQuery());
                String id = authenticate(exchange, exchange.body(), false).key();
                Response answer = Response.later(rendezvous.fetch(id, wait, exchange.remoteAddress(), executor));
                if (wait > 0 && !answer.later().isDone()) {
                    exchange.mayWait(wait);
                }
                return answer;
            }
            case "/v1/turn": {
                HttpFront.require(exchange, "GET", method.equals("GET"));
                if (turn == null) {
                    throw new ApiException(404, "this service offers no TURN server (GET /v1/info says \"turn\":false)");
                }
                String id = authenticate(exchange, exchange.body(), false).key();
                return new Response(200, turn.issue(id, exchange.remoteAddress(), clock.getAsLong()));
            }
            default:
                String id = path.startsWith("/v1/peers/") ? path.substring("/v1/peers/".length()) : "";
                if (id.isEmpty() || id.indexOf('/') >= 0) {
                    throw new ApiException(404, "no route " + method + " " + Json.excerpt(path) + "; " + ROUTES);
                }
                HttpFront.require(exchange, "GET, HEAD", get);
                return new Response(200, rendezvous.peerJson(HttpFront.decode(id)));
        }
    }

    /**
     * {@code POST /v1/register}: a registration, or a renewal under a session. A {@code sessionKey}
     * opens a new session (replacing the peer's), which only an Ed25519 signature may do: it binds
     * a key to the identity.
     */
    private Response register(Exchange exchange) throws ApiException {
        byte[] body = jsonBody(exchange);
        RequestAuthenticator.Caller caller = authenticate(exchange, body, true);
        JsonObject request = Json.parseObject(body);
        JsonElement sessionKey = request.get("sessionKey");
        Session session = null;
        if (sessionKey != null && !sessionKey.isJsonNull()) {
            if (caller.bySession()) {
                throw new ApiException(401, "a registration with a sessionKey must be signed with the identity key ("
                        + SignedRequest.SCHEME + "), not made under a session; renew a session without sessionKey");
            }
            session = sessionKeys.open(caller.key(), sessionKey);
        }
        rendezvous.register(caller.key(), request, session);
        Session opened = session;
        return new Response(200, Json.write(out -> {
            out.beginObject().name("id").value(caller.key()).name("expiresInMs").value(limits.peerTtlMillis());
            if (opened != null) {
                out.name("session").beginObject().name("id").value(opened.id())
                        .name("serverKey").value(sessionKeys.serverKey()).endObject();
            }
            out.endObject();
        }));
    }

    private byte[] jsonBody(Exchange exchange) throws ApiException {
        HttpFront.requireJson(exchange);
        return exchange.body();
    }

    /**
     * The peer the request acts as: its verified signer, or its session's peer; unless
     * {@code registering}, a registered one.
     */
    private RequestAuthenticator.Caller authenticate(Exchange exchange, byte[] body, boolean registering)
            throws ApiException {
        String query = exchange.rawQuery();
        String pathAndQuery = exchange.rawPath() + (query == null ? "" : "?" + query);
        return authenticator.authenticate(exchange.method(), pathAndQuery, exchange.headers("Authorization"), body,
                clock.getAsLong(), registering);
    }

    /** A page of {@code GET /v1/peers}: at most {@code limit} listed peers after {@code after} (null: from the first). */
    private record PageQuery(String after, int limit) {
    }

    /** The {@code limit} and {@code after} parameters of {@code /v1/peers}; any other, or one twice, is 400. */
    private static PageQuery pageQuery(String rawQuery) throws ApiException {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return new PageQuery(null, SignedRendezvous.DEFAULT_PAGE_PEERS);
        }
        String limit = null;
        String after = null;
        for (String parameter : rawQuery.split("&", -1)) {
            if (parameter.startsWith("limit=") && limit == null) {
                limit = parameter.substring("limit=".length());
            } else if (parameter.startsWith("after=") && after == null) {
                after = parameter.substring("after=".length());
            } else {
                throw new ApiException(400, PEERS_QUERY + "; the query was \"" + Json.excerpt(rawQuery) + "\"");
            }
        }
        int pageSize = SignedRendezvous.DEFAULT_PAGE_PEERS;
        if (limit != null) {
            // Canonical digits only (no sign, no leading zero), so the range check below sees the number sent.
            if (!limit.matches("[1-9][0-9]{0,3}") || Integer.parseInt(limit) > SignedRendezvous.MAX_PAGE_PEERS) {
                throw new ApiException(400, "limit must be a whole number from 1 to " + SignedRendezvous.MAX_PAGE_PEERS
                        + ", was \"" + Json.excerpt(limit) + "\"");
            }
            pageSize = Integer.parseInt(limit);
        }
        if (after != null) {
            if (after.isEmpty()) {
                throw new ApiException(400, "after must be a peer id (the next of the previous page); leave it out"
                        + " for the first page");
            }
            after = HttpFront.decode(after, "after");
        }
        return new PageQuery(after, pageSize);
    }

    /** The {@code wait} parameter, the only one {@code /v1/signals} takes: 0 if absent. */
    private static int waitSeconds(String rawQuery) throws ApiException {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return 0;
        }
        String value = null;
        for (String parameter : rawQuery.split("&", -1)) {
            if (!parameter.startsWith("wait=") || value != null) {
                throw new ApiException(400, "the only query parameter of /v1/signals is wait=<0.."
                        + SignedRendezvous.MAX_WAIT_SECONDS + ">, once; the query was \"" + Json.excerpt(rawQuery)
                        + "\"");
            }
            value = parameter.substring("wait=".length());
        }
        if (!value.matches("[0-9]{1,2}") || Integer.parseInt(value) > SignedRendezvous.MAX_WAIT_SECONDS) {
            throw new ApiException(400, "wait must be a whole number of seconds from 0 to "
                    + SignedRendezvous.MAX_WAIT_SECONDS + ", was \"" + Json.excerpt(value) + "\"");
        }
        return Integer.parseInt(value);
    }
}
