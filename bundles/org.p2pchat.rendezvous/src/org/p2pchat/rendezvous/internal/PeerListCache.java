package org.p2pchat.rendezvous.internal;

/**
 * The serialised {@code GET /peers} answer, so that a request costs a copy of cached bytes instead
 * of serialising the whole directory. It is rebuilt when the directory changed or a listed peer
 * expired, but at most every {@code peerListMaxAgeMillis}; in between, readers get the previous
 * answer (at most that many milliseconds stale). One thread rebuilds while the others keep
 * serving the previous snapshot.
 */
final class PeerListCache {

    private record Snapshot(byte[] json, long builtAt, long version, long validUntil) {
    }

    private final Rendezvous rendezvous;
    private volatile Snapshot snapshot = new Snapshot(new byte[] {'[', ']'}, Long.MIN_VALUE / 2, 0, Long.MAX_VALUE);

    PeerListCache(Rendezvous rendezvous) {
        this.rendezvous = rendezvous;
    }

    byte[] get(long now) {
        Snapshot current = snapshot;
        if (fresh(current, now) || now - current.builtAt() < rendezvous.limits().peerListMaxAgeMillis()) {
            return current.json();
        }
        synchronized (this) {
            current = snapshot;
            if (fresh(current, now)) {
                return current.json();
            }
            current = build(now);
            snapshot = current;
            return current.json();
        }
    }

    private boolean fresh(Snapshot s, long now) {
        return s.version() == rendezvous.directoryVersion() && now < s.validUntil();
    }

    private Snapshot build(long now) {
        long version = rendezvous.directoryVersion();
        long ttl = rendezvous.limits().peerTtlMillis();
        long[] validUntil = {Long.MAX_VALUE};
        byte[] json = Json.write(out -> {
            out.beginArray();
            for (Rendezvous.Peer peer : rendezvous.peers()) {
                if (!rendezvous.expired(peer, now)) {
                    out.beginObject().name("peerId").value(peer.peerId()).name("name").value(peer.name())
                            .name("lastSeen").value(peer.lastSeen()).endObject();
                    validUntil[0] = Math.min(validUntil[0], peer.lastSeen() + ttl + 1);
                }
            }
            out.endArray();
        });
        return new Snapshot(json, now, version, validUntil[0]);
    }
}
