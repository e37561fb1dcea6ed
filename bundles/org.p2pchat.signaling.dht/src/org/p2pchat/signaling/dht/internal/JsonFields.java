package org.p2pchat.signaling.dht.internal;

import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;


/** Reading what services send, forgiving per element: one malformed entry does not spoil the rest. */
final class JsonFields {

    /** Longer ids are not ours or the web app's: the services themselves refuse ids over 256 characters. */
    static final int MAX_ID_CHARS = 256;
    static final int MAX_NAME_CHARS = 64;

    private static final System.Logger LOG = System.getLogger(JsonFields.class.getName());

    private JsonFields() {
    }

    static String string(JsonObject o, String field) {
        return o.get(field) instanceof JsonPrimitive p && p.isString() ? p.getAsString() : null;
    }

    static long number(JsonObject o, String field) {
        return o.get(field) instanceof JsonPrimitive p && p.isNumber() ? p.getAsLong() : 0;
    }

    /** A payload as text: the web app sends a JSON string holding JSON; an object is taken as its JSON. */
    static String payload(JsonElement e) {
        if (e instanceof JsonPrimitive p && p.isString()) {
            return p.getAsString();
        }
        return e != null && (e.isJsonObject() || e.isJsonArray()) ? e.toString() : null;
    }

    static JsonArray array(JsonElement e, String what) throws IOException {
        if (e instanceof JsonArray a) {
            return a;
        }
        throw new IOException("the service answered " + what + " with something that is not a list");
    }

    /** The entries of a peer list that look like peers; {@code idField} is "id" or the legacy "peerId". */
    static List<ServicePeer> peers(JsonElement list, String idField, URI service, boolean authenticated)
            throws IOException {
        List<ServicePeer> peers = new ArrayList<>();
        int skipped = 0;
        for (JsonElement e : array(list, "the peer list")) {
            ServicePeer p = e instanceof JsonObject o ? peer(o, idField, service, authenticated) : null;
            if (p == null) {
                skipped++;
            } else {
                peers.add(p);
            }
        }
        if (skipped > 0) {
            LOG.log(System.Logger.Level.INFO, "{0}: skipped {1} malformed entries of the peer list", service, skipped);
        }
        return peers;
    }

    /** One page of the authenticated API's directory; {@code next} is null on the last page. */
    record PeerPage(List<ServicePeer> peers, String next) {
    }

    /**
     * A page of {@code GET /v1/peers}: {@code {"peers": [...], "next": id or null}}. A service from
     * before paging answers the whole list as an array: that is one page, the last.
     */
    static PeerPage peerPage(JsonElement answer, URI service) throws IOException {
        if (answer instanceof JsonArray) {
            return new PeerPage(peers(answer, "id", service, true), null);
        }
        if (!(answer instanceof JsonObject o)) {
            throw new IOException("the service answered the peer list with something that is not a page of peers");
        }
        String next = string(o, "next");
        return new PeerPage(peers(o.get("peers"), "id", service, true), next == null || next.isEmpty() ? null : next);
    }

    static ServicePeer peer(JsonObject o, String idField, URI service, boolean authenticated) {
        String id = string(o, idField);
        if (id == null || id.isEmpty() || id.length() > MAX_ID_CHARS) {
            return null;
        }
        long lastSeen = number(o, "lastSeen");
        return new ServicePeer(id, Text.name(string(o, "name"), MAX_NAME_CHARS), service, authenticated,
                lastSeen > 0 ? Instant.ofEpochMilli(lastSeen) : null);
    }

    /** The entries of a signal list that look like signals addressed to us. */
    static List<Signal> signals(JsonElement list, URI service) throws IOException {
        List<Signal> signals = new ArrayList<>();
        int skipped = 0;
        for (JsonElement e : array(list, "the signals fetch")) {
            Signal s = e instanceof JsonObject o ? signal(o) : null;
            if (s == null) {
                skipped++;
            } else {
                signals.add(s);
            }
        }
        if (skipped > 0) {
            LOG.log(System.Logger.Level.INFO, "{0}: ignored {1} malformed signals", service, skipped);
        }
        return signals;
    }

    private static Signal signal(JsonObject o) {
        String from = string(o, "from");
        String type = string(o, "type");
        String payload = payload(o.get("payload"));
        if (from == null || from.isEmpty() || from.length() > MAX_ID_CHARS || type == null || payload == null) {
            return null;
        }
        String name = string(o, "fromName");
        return new Signal(from, name == null ? LegacyApi.nameInId(from) : Text.name(name, MAX_NAME_CHARS), type,
                payload, number(o, "timestamp"));
    }
}
