package org.p2pchat.rendezvous;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A STUN/TURN server (coturn with {@code use-auth-secret}) whose short-lived credentials the
 * rendezvous service hands to authenticated clients on {@code GET /v1/turn} (the TURN REST
 * scheme: user name {@code <expiry in Unix seconds>:<identity key>}, password
 * base64(HMAC-SHA1(secret, user name))). The secret is shared with coturn's
 * {@code static-auth-secret} and never printed: {@link #toString()} leaves it out.
 */
public final class TurnService {

    /**
     * Shortest and longest lifetime of issued credentials. Clients renew at two thirds of it, so a
     * short one makes them ask often: the relay's configuration asks for at least a minute.
     */
    public static final long MIN_TTL_SECONDS = 10;
    public static final long MAX_TTL_SECONDS = 7 * 24 * 3600;
    /** Issued credentials per identity key: {@value} at once, then one per {@link #KEY_INTERVAL_SECONDS}. */
    public static final int KEY_BURST = 5;
    public static final long KEY_INTERVAL_SECONDS = 30;
    /** Issued credentials per client address (IPv6: its /64), for every key behind it together. */
    public static final int ADDRESS_BURST = 30;
    public static final long ADDRESS_INTERVAL_SECONDS = 2;

    private static final Pattern URL = Pattern.compile(
            "(stun|stuns|turn|turns):(\\[[0-9a-fA-F:.]+\\]|[A-Za-z0-9.-]+)(:\\d{1,5})?(\\?transport=(udp|tcp))?");

    private final List<String> urls;
    private final byte[] secret;
    private final long ttlSeconds;

    private TurnService(List<String> urls, byte[] secret, long ttlSeconds) {
        this.urls = urls;
        this.secret = secret;
        this.ttlSeconds = ttlSeconds;
    }

    /**
     * @param urls       what clients are given: {@code stun:host:port}, {@code turn:host:port?transport=udp|tcp},
     *                   {@code turns:...}; at least one TURN URL
     * @param secret     coturn's {@code static-auth-secret} (its UTF-8 bytes); at least 16 bytes
     * @param ttlSeconds how long issued credentials are valid, {@value #MIN_TTL_SECONDS} s to 7 days
     * @throws IllegalArgumentException saying which argument is wrong (never showing the secret)
     */
    public static TurnService of(List<String> urls, byte[] secret, long ttlSeconds) {
        if (urls == null || urls.isEmpty()) {
            throw new IllegalArgumentException("no TURN URL given");
        }
        for (String url : urls) {
            if (url == null || !URL.matcher(url).matches()) {
                throw new IllegalArgumentException("'" + url + "' is not a STUN or TURN URL (stun:host:port,"
                        + " turn:host:port?transport=udp or tcp, turns:host:port)");
            }
        }
        if (urls.stream().noneMatch(u -> u.startsWith("turn"))) {
            throw new IllegalArgumentException("the URLs name no TURN server (turn: or turns:), only STUN");
        }
        if (secret == null || secret.length < 16) {
            throw new IllegalArgumentException("the TURN secret must be at least 16 bytes long");
        }
        if (ttlSeconds < MIN_TTL_SECONDS || ttlSeconds > MAX_TTL_SECONDS) {
            throw new IllegalArgumentException("the credential lifetime must be from " + MIN_TTL_SECONDS + " to "
                    + MAX_TTL_SECONDS + " s, was " + ttlSeconds);
        }
        return new TurnService(List.copyOf(urls), secret.clone(), ttlSeconds);
    }

    public List<String> urls() {
        return urls;
    }

    /** A copy of the shared secret. */
    public byte[] secret() {
        return secret.clone();
    }

    public long ttlSeconds() {
        return ttlSeconds;
    }

    @Override
    public String toString() {
        return "TurnService" + urls + " ttl " + ttlSeconds + " s (secret not shown, " + secret.length + " bytes)";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TurnService t && urls.equals(t.urls) && Arrays.equals(secret, t.secret)
                && ttlSeconds == t.ttlSeconds;
    }

    @Override
    public int hashCode() {
        return urls.hashCode() * 31 + Long.hashCode(ttlSeconds);
    }
}
