package org.p2pchat.rendezvous.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.function.LongSupplier;

import com.google.gson.stream.JsonWriter;

/**
 * A serialised peer list answer (the legacy {@code GET /peers}), so that a request costs a copy of
 * cached bytes instead of walking the whole directory. It is rebuilt when the directory changed or
 * a listed peer expired, but at most every {@code maxAgeMillis}; in between, readers get the
 * previous answer (at most that many milliseconds stale). One thread rebuilds while the others
 * keep serving the previous snapshot.
 */
final class PeerListCache {

    /** Writes the listing as of {@code now}; returns when it goes stale by itself (a listed peer expires). */
    interface Listing {
        long write(JsonWriter out, long now) throws IOException;
    }

    private record Snapshot(byte[] json, long builtAt, long version, long validUntil) {
    }

    private final LongSupplier directoryVersion;
    private final long maxAgeMillis;
    private final Listing listing;
    private volatile Snapshot snapshot = new Snapshot(new byte[] {'[', ']'}, Long.MIN_VALUE / 2, 0, Long.MAX_VALUE);

    PeerListCache(LongSupplier directoryVersion, long maxAgeMillis, Listing listing) {
        this.directoryVersion = directoryVersion;
        this.maxAgeMillis = maxAgeMillis;
        this.listing = listing;
    }

    byte[] get(long now) {
        Snapshot current = snapshot;
        if (fresh(current, now) || now - current.builtAt() < maxAgeMillis) {
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
        return s.version() == directoryVersion.getAsLong() && now < s.validUntil();
    }

    private Snapshot build(long now) {
        long version = directoryVersion.getAsLong();
        // Straight to UTF-8 bytes: a directory of 100,000 peers is megabytes, and a String or char
        // buffer in between would double or triple that while building.
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * 1024);
        long validUntil;
        try (Writer text = new OutputStreamWriter(bytes, StandardCharsets.UTF_8);
                JsonWriter out = new JsonWriter(text)) {
            out.setSerializeNulls(true);
            validUntil = listing.write(out, now);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Snapshot(bytes.toByteArray(), now, version, validUntil);
    }
}
