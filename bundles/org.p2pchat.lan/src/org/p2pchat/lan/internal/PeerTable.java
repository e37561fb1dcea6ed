package org.p2pchat.lan.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The peers heard on the local network, by identity key, in bounded memory: at most
 * {@code capacity} peers, each forgotten when not heard from for {@code expiry}. An announcement
 * is taken only if it is fresh (signed within {@code window} of our clock) and newer than the last
 * one taken from its key, so a recorded announcement cannot be played back.
 */
public final class PeerTable {

    /** A peer as last heard. */
    public record Entry(Announcement announcement, Instant heard) {
    }

    private final int capacity;
    private final Duration expiry;
    private final Duration window;
    private final Map<String, Entry> peers = new HashMap<>();

    public PeerTable(int capacity, Duration expiry, Duration window) {
        this.capacity = capacity;
        this.expiry = expiry;
        this.window = window;
    }

    /**
     * Takes {@code a} heard at {@code now}.
     *
     * @return whether the list changed (a new peer, or a new name or address)
     * @throws Announcement.Refused {@link Refusal#REPLAYED} or {@link Refusal#TABLE_FULL}
     */
    public synchronized boolean take(Announcement a, Instant now) throws Announcement.Refused {
        long age = now.toEpochMilli() - a.timestampMillis();
        if (Math.abs(age) > window.toMillis()) {
            throw new Announcement.Refused(Refusal.REPLAYED, "signed " + Math.abs(age) / 1000
                    + (age > 0 ? " s ago" : " s ahead") + ", outside the " + window.toSeconds() + " s window");
        }
        expire(now);
        Entry last = peers.get(a.identity().key());
        if (last != null && last.announcement().equals(a)) {
            return false; // the same datagram again (it came on two ways): nothing new, nothing wrong
        }
        if (last != null && a.timestampMillis() <= last.announcement().timestampMillis()) {
            throw new Announcement.Refused(Refusal.REPLAYED, "not newer than the last announcement of that key");
        }
        if (last == null && peers.size() >= capacity) {
            throw new Announcement.Refused(Refusal.TABLE_FULL, "already " + capacity + " peers");
        }
        peers.put(a.identity().key(), new Entry(a, now));
        return last == null || !last.announcement().name().equals(a.name())
                || !last.announcement().address().equals(a.address()) || last.announcement().port() != a.port();
    }

    /** Forgets the peers not heard from for the expiry; returns whether any were. */
    public synchronized boolean expire(Instant now) {
        return peers.values().removeIf(e -> e.heard().plus(expiry).isBefore(now));
    }

    public synchronized List<Entry> entries() {
        return new ArrayList<>(peers.values());
    }

    public synchronized Optional<Entry> get(String key) {
        return Optional.ofNullable(peers.get(key));
    }

    public synchronized int size() {
        return peers.size();
    }
}
