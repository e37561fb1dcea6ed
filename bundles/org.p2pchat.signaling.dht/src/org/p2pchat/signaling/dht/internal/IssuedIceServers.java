package org.p2pchat.signaling.dht.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.p2pchat.core.IceServer;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;

/**
 * The answer of {@code GET /v1/turn}: a service's STUN/TURN servers with short-lived credentials
 * for us ({@code {"iceServers":[{"urls":[...],"username","credential"}],"ttl":seconds}}, the
 * rendezvous bundle's API.md).
 *
 * @param servers   one per URL, each with its credentials; only those the transport can use
 * @param ttl       how long they are valid from when they were issued
 * @param expiresAt the end of their validity the user name states (Unix seconds), 0 if it states none
 */
record IssuedIceServers(List<IceServer> servers, Duration ttl, long expiresAt) {

    private static final System.Logger LOG = System.getLogger(IssuedIceServers.class.getName());
    /** Bounds on what a service may hand us: enough for any real deployment. */
    private static final int MAX_SERVERS = 8;
    private static final int MAX_URLS = 8;
    private static final int MAX_CREDENTIAL_CHARS = 512;
    private static final long MAX_TTL_SECONDS = 7 * 24 * 3600;

    /** @throws IOException if the answer is not of that shape or names no usable server */
    static IssuedIceServers parse(JsonElement answer, URI service) throws IOException {
        if (!(answer instanceof JsonObject o) || !(o.get("iceServers") instanceof JsonArray list)) {
            throw new IOException("the service answered GET /v1/turn without a list of iceServers");
        }
        long ttlSeconds = JsonFields.number(o, "ttl");
        if (ttlSeconds <= 0) {
            throw new IOException("the service answered GET /v1/turn without a positive ttl");
        }
        List<IceServer> servers = new ArrayList<>();
        long expiresAt = 0;
        int entries = 0;
        for (JsonElement e : list) {
            if (++entries > MAX_SERVERS || !(e instanceof JsonObject entry)) {
                continue;
            }
            String username = JsonFields.string(entry, "username");
            String credential = JsonFields.string(entry, "credential");
            if (username == null || credential == null || username.length() > MAX_CREDENTIAL_CHARS
                    || credential.length() > MAX_CREDENTIAL_CHARS) {
                continue;
            }
            int colon = username.indexOf(':');
            if (colon > 0 && username.substring(0, colon).matches("\\d{1,12}")) {
                long stated = Long.parseLong(username.substring(0, colon));
                expiresAt = expiresAt == 0 ? stated : Math.min(expiresAt, stated);
            }
            for (String url : urls(entry.get("urls"))) {
                IceServer server = new IceServer(url, url.startsWith("stun") ? "" : username,
                        url.startsWith("stun") ? "" : credential);
                if (server.problem().isPresent()) {
                    LOG.log(Level.INFO, "{0}: skipped the ICE server {1} it handed out: {2}", service,
                            Text.shortened(Text.printable(url, 200), 100), server.problem().get());
                } else if (!servers.contains(server)) {
                    servers.add(server);
                }
            }
        }
        if (servers.isEmpty()) {
            throw new IOException("the service answered GET /v1/turn with no usable STUN or TURN server");
        }
        return new IssuedIceServers(List.copyOf(servers), Duration.ofSeconds(Math.min(ttlSeconds, MAX_TTL_SECONDS)),
                expiresAt);
    }

    /** {@code urls}: a list of strings, or one string (as in WebRTC's RTCIceServer). */
    private static List<String> urls(JsonElement urls) {
        List<String> out = new ArrayList<>();
        if (urls instanceof JsonPrimitive p && p.isString()) {
            out.add(p.getAsString());
        } else if (urls instanceof JsonArray a) {
            for (JsonElement u : a) {
                if (out.size() < MAX_URLS && u instanceof JsonPrimitive p && p.isString()) {
                    out.add(p.getAsString());
                }
            }
        }
        return out;
    }
}
