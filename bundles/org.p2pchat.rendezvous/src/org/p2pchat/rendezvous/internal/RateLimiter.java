package org.p2pchat.rendezvous.internal;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per client address (or per identity key): {@code rate} requests per second
 * sustained, {@code burst} at once. IPv6 clients are keyed by their /64 (one subscriber usually
 * owns a whole /64). Beyond {@code maxKeys} tracked clients, new ones share a single bucket, so a
 * flood of source addresses or keys cannot grow the map; idle full buckets are dropped by
 * {@link #sweep}.
 */
final class RateLimiter {

    private static final class Bucket {
        private double tokens;
        private long last;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.last = now;
        }
    }

    private final double ratePerMilli;
    private final int burst;
    private final int maxKeys;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final Bucket overflow;

    RateLimiter(double perSecond, int burst, int maxKeys, long now) {
        this.ratePerMilli = perSecond / 1000;
        this.burst = burst;
        this.maxKeys = maxKeys;
        this.overflow = new Bucket(burst, now);
    }

    boolean enabled() {
        return ratePerMilli > 0;
    }

    double rate() {
        return ratePerMilli * 1000;
    }

    int burst() {
        return burst;
    }

    /** Takes one token for {@code address}; false if its bucket is empty. */
    boolean tryAcquire(InetAddress address, long now) {
        return !enabled() || tryAcquire(clientKey(address), now);
    }

    /** Takes one token for {@code key}; false if its bucket is empty. */
    boolean tryAcquire(String key, long now) {
        if (!enabled()) {
            return true;
        }
        Bucket bucket = buckets.get(key);
        if (bucket == null) {
            bucket = buckets.size() >= maxKeys ? overflow
                    : buckets.computeIfAbsent(key, k -> new Bucket(burst, now));
        }
        synchronized (bucket) {
            refill(bucket, now);
            if (bucket.tokens >= 1) {
                bucket.tokens -= 1;
                return true;
            }
            return false;
        }
    }

    /** Forgets addresses whose bucket has filled up again (they are indistinguishable from new ones). */
    void sweep(long now) {
        buckets.values().removeIf(bucket -> {
            synchronized (bucket) {
                refill(bucket, now);
                return bucket.tokens >= burst;
            }
        });
    }

    private void refill(Bucket bucket, long now) {
        long elapsed = Math.max(0, now - bucket.last);
        bucket.tokens = Math.min(burst, bucket.tokens + elapsed * ratePerMilli);
        bucket.last = Math.max(bucket.last, now);
    }

    /** The client an address stands for: itself, or for IPv6 its /64. */
    static String clientKey(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (address instanceof Inet6Address) {
            bytes = Arrays.copyOf(bytes, 8);
        }
        return Arrays.toString(bytes);
    }
}
