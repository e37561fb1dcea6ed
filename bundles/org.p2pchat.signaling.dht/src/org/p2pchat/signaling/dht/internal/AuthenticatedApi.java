package org.p2pchat.signaling.dht.internal;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.google.gson.JsonObject;

import org.p2pchat.core.identity.IdentityService;
import org.p2pchat.core.signaling.DirectoryPeer;

/**
 * The service's authenticated API ({@code /v1}): our address is our identity key, every request
 * that acts as us is signed with it, the directory is opt-in, and signals are pushed through a
 * long poll.
 */
final class AuthenticatedApi implements RendezvousApi {

    static final String INFO_ROUTE = "/v1/info";
    static final String API_NAME = "p2pchat-rendezvous";
    /** Listed peers asked for per request of the directory (the service allows up to 1,000). */
    static final int PEERS_PER_PAGE = 500;
    /**
     * The most listed peers we gather: more than a person can browse, and anyone beyond them is
     * still reached by id (connect-by-id). Keeps a directory of 100,000s from costing us 100s of requests.
     */
    static final int MAX_LISTED_PEERS = 2_000;
    /** Pages asked for at most, even if a broken service's pages come short: twice what an honest one needs. */
    private static final int MAX_PAGES = 2 * MAX_LISTED_PEERS / PEERS_PER_PAGE;

    private final URI service;
    private final RendezvousHttp http;
    private final DhtTimings timings;
    private final IdentityService identity;
    private final String name;
    private final boolean listed;

    AuthenticatedApi(URI service, RendezvousHttp http, DhtTimings timings, IdentityService identity, String name,
            boolean listed) {
        this.service = service;
        this.http = http;
        this.timings = timings;
        this.identity = identity;
        this.name = name;
        this.listed = listed;
    }

    @Override
    public String name() {
        return "authenticated";
    }

    @Override
    public boolean authenticated() {
        return true;
    }

    @Override
    public String ourId() {
        return identity.self().key();
    }

    boolean listed() {
        return listed;
    }

    @Override
    public Duration register() throws IOException, InterruptedException {
        JsonObject body = new JsonObject();
        body.addProperty("name", name);
        body.addProperty("listed", listed);
        RendezvousHttp.Reply reply = signed("POST", "/v1/register", body, timings.requestTimeout(),
                RendezvousHttp.SMALL_ANSWER_BYTES);
        if (!reply.ok()) {
            throw reply.refusal("Registering");
        }
        long expires = reply.json() instanceof JsonObject o ? JsonFields.number(o, "expiresInMs") : 0;
        // Well before the expiry the service announces, so one lost request does not drop us.
        Duration half = expires > 0 ? Duration.ofMillis(expires / 2) : timings.reregisterInterval();
        return half.compareTo(timings.reregisterInterval()) < 0 ? half : timings.reregisterInterval();
    }

    @Override
    public void unregister() throws IOException, InterruptedException {
        RendezvousHttp.Reply reply = signed("DELETE", "/v1/register", null, timings.requestTimeout(),
                RendezvousHttp.SMALL_ANSWER_BYTES);
        if (!reply.ok()) {
            throw reply.refusal("Unregistering");
        }
    }

    @Override
    public List<Signal> fetch() throws IOException, InterruptedException {
        int wait = timings.longPollSeconds();
        RendezvousHttp.Reply reply = signed("GET", "/v1/signals?wait=" + wait, null,
                timings.requestTimeout().plusSeconds(wait), RendezvousHttp.LARGE_ANSWER_BYTES);
        if (!reply.ok()) {
            throw reply.refusal("Fetching signals");
        }
        return JsonFields.signals(reply.json(), service);
    }

    @Override
    public Duration pauseAfterFetch() {
        return Duration.ZERO;
    }

    @Override
    public boolean carries(String type) {
        return true;
    }

    @Override
    public void send(String to, String type, String payload) throws IOException, InterruptedException {
        JsonObject body = new JsonObject();
        body.addProperty("to", to);
        body.addProperty("type", type);
        body.addProperty("payload", payload);
        RendezvousHttp.Reply reply = signed("POST", "/v1/signal", body, timings.requestTimeout(),
                RendezvousHttp.SMALL_ANSWER_BYTES);
        if (!reply.ok()) {
            throw reply.refusal("Sending the " + type);
        }
    }

    /** The listed peers in id order, page by page, up to {@link #MAX_LISTED_PEERS}. */
    @Override
    public List<DirectoryPeer> peers() throws IOException, InterruptedException {
        List<DirectoryPeer> peers = new ArrayList<>();
        String after = null;
        for (int pages = 0; pages < MAX_PAGES && peers.size() < MAX_LISTED_PEERS; pages++) {
            String route = "/v1/peers?limit=" + PEERS_PER_PAGE
                    + (after == null ? "" : "&after=" + Text.pathSegment(after));
            RendezvousHttp.Reply reply = http.get(route, null, timings.requestTimeout(), RendezvousHttp.LARGE_ANSWER_BYTES);
            if (!reply.ok()) {
                throw reply.refusal("Listing peers");
            }
            JsonFields.PeerPage page = JsonFields.peerPage(reply.json(), service);
            peers.addAll(page.peers());
            // A next that does not move forward would ask for the same page again.
            if (page.next() == null || after != null && page.next().compareTo(after) <= 0) {
                break;
            }
            after = page.next();
        }
        return peers.size() > MAX_LISTED_PEERS ? List.copyOf(peers.subList(0, MAX_LISTED_PEERS)) : peers;
    }

    @Override
    public Optional<DirectoryPeer> peer(String id) throws IOException, InterruptedException {
        RendezvousHttp.Reply reply = http.get("/v1/peers/" + Text.pathSegment(id), null, timings.requestTimeout(),
                RendezvousHttp.SMALL_ANSWER_BYTES);
        if (reply.status() == 404) {
            return Optional.empty();
        }
        if (!reply.ok()) {
            throw reply.refusal("Looking the peer up");
        }
        return reply.json() instanceof JsonObject o ? Optional.ofNullable(JsonFields.peer(o, "id", service, true))
                : Optional.empty();
    }

    private RendezvousHttp.Reply signed(String method, String route, JsonObject body, Duration timeout, int maxBytes)
            throws IOException, InterruptedException {
        byte[] bytes = body == null ? null : body.toString().getBytes(StandardCharsets.UTF_8);
        String pathAndQuery = http.pathAndQuery(route);
        return http.send(method, route, bytes, () -> identity.signRequest(method, pathAndQuery, bytes).toHeader(), timeout,
                maxBytes);
    }
}
