package org.p2pchat.lan.internal;

/** Why an announcement was ignored; counted per link (see {@link LanLink#refusals()}) and logged. */
public enum Refusal {
    /** Bigger than any announcement. */
    OVERSIZED,
    /** Not an announcement of ours: not JSON, members missing or of the wrong form. */
    MALFORMED,
    /** The signature is not the named key's over this announcement (spoofed or changed on the way). */
    BAD_SIGNATURE,
    /** The datagram came from an address other than the one announced. */
    WRONG_SOURCE,
    /** Not newer than the last one from that key, or too old or too far ahead. */
    REPLAYED,
    /** A new peer while the table is full. */
    TABLE_FULL,
    /** More datagrams from one address (or from more addresses) in a second than any client sends. */
    RATE_LIMITED
}
