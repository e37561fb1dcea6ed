package org.p2pchat.rendezvous.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The nonces of accepted signed requests, per identity key, so that a recorded request cannot be
 * sent again. A replay carries the same signed timestamp as the original, so a nonce only needs
 * remembering while its request's timestamp is inside the time window: nonces are kept in one
 * table per timestamp second, and a whole second is forgotten at once when it leaves the window.
 * Timestamps from before the last forgotten second are refused outright, so a clock that steps
 * back cannot readmit a forgotten request. An entry is a 64-bit digest of key and nonce in an
 * open-addressing table (at most 32 bytes, usually 16), and there are at most {@code max} of them.
 */
final class NonceMemory {

    enum Outcome {
        /** Not seen before; now remembered. */
        FIRST_USE,
        /** Seen before for this key: a replay. */
        REPLAY,
        /** Older than what is still remembered: refused, as it could be a forgotten replay. */
        TOO_OLD,
        /** The memory holds its maximum; the request cannot be checked and must be refused. */
        FULL
    }

    private final long windowMillis;
    private final int max;
    private final ConcurrentHashMap<Long, DigestSet> seconds = new ConcurrentHashMap<>();
    private final AtomicInteger size = new AtomicInteger();
    /** Timestamps before this (ms) have been forgotten. */
    private volatile long forgottenBefore = Long.MIN_VALUE;

    NonceMemory(long windowMillis, int max) {
        this.windowMillis = windowMillis;
        this.max = max;
    }

    /** Remembers the nonce of a request by {@code key} signed at {@code timestampMillis}. */
    Outcome remember(String key, String nonce, long timestampMillis) {
        if (timestampMillis < forgottenBefore) {
            return Outcome.TOO_OLD;
        }
        long digest = digest(key, nonce);
        DigestSet second = seconds.computeIfAbsent(Math.floorDiv(timestampMillis, 1000L), s -> new DigestSet());
        synchronized (second) {
            if (second.forgotten) {
                return Outcome.TOO_OLD; // forget() ran since this second was looked up
            }
            if (second.contains(digest)) {
                return Outcome.REPLAY;
            }
            if (size.incrementAndGet() > max) {
                size.decrementAndGet();
                return Outcome.FULL;
            }
            second.add(digest);
            return Outcome.FIRST_USE;
        }
    }

    /** Forgets the seconds whose timestamps are all outside the window at {@code now}. */
    void forget(long now) {
        long oldestKept = Math.floorDiv(now - windowMillis, 1000L);
        if (oldestKept * 1000 > forgottenBefore) {
            forgottenBefore = oldestKept * 1000;
        }
        long horizon = Math.floorDiv(forgottenBefore, 1000L);
        seconds.entrySet().removeIf(second -> {
            if (second.getKey() >= horizon) {
                return false;
            }
            DigestSet dropped = second.getValue();
            synchronized (dropped) {
                size.addAndGet(-dropped.size);
                dropped.forget();
            }
            return true;
        });
    }

    int size() {
        return size.get();
    }

    private static long digest(String key, String nonce) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(key.getBytes(StandardCharsets.US_ASCII));
            sha256.update((byte) '\n');
            byte[] hash = sha256.digest(nonce.getBytes(StandardCharsets.US_ASCII));
            return ByteBuffer.wrap(hash).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A set of 64-bit digests: linear probing, at most half full, 0 marks a free slot. */
    private static final class DigestSet {
        private long[] slots = new long[16];
        private int size;
        private boolean forgotten;

        boolean contains(long digest) {
            long d = digest == 0 ? 1 : digest;
            int mask = slots.length - 1;
            for (int i = index(d, mask); slots[i] != 0; i = (i + 1) & mask) {
                if (slots[i] == d) {
                    return true;
                }
            }
            return false;
        }

        void add(long digest) {
            if (2 * (size + 1) > slots.length) {
                long[] old = slots;
                slots = new long[old.length * 2];
                for (long d : old) {
                    if (d != 0) {
                        insert(d);
                    }
                }
            }
            insert(digest == 0 ? 1 : digest);
            size++;
        }

        private void insert(long d) {
            int mask = slots.length - 1;
            int i = index(d, mask);
            while (slots[i] != 0 && slots[i] != d) {
                i = (i + 1) & mask;
            }
            slots[i] = d;
        }

        void forget() {
            slots = null;
            size = 0;
            forgotten = true;
        }

        private static int index(long d, int mask) {
            return (int) (d ^ (d >>> 32)) & mask;
        }
    }
}
