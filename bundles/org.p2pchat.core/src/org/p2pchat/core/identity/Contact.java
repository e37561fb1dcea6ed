package org.p2pchat.core.identity;

/**
 * A peer remembered on first use.
 *
 * @param name      the name the peer used when first seen
 * @param identity  the key it had then
 * @param firstSeen milliseconds since the epoch
 */
public record Contact(String name, PublicIdentity identity, long firstSeen) {

    /** What meeting a peer under a name means for trust. */
    public enum Status {
        /** Never seen this name before: now remembered with this key. */
        NEW,
        /** Same name, same key as before. */
        KNOWN,
        /** Same name, a different key: someone else, or a reinstalled client. Warn loudly. */
        CHANGED
    }
}
