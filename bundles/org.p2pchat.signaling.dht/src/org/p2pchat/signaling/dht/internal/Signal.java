package org.p2pchat.signaling.dht.internal;

/**
 * A signal a service delivered to us.
 *
 * @param from      the sender's id on the service (authenticated by the service on its /v1 API only)
 * @param fromName  the sender's name as the service knows it (may be empty)
 * @param type      offer, answer, ice-candidate, reconnect-offer, reconnect-answer, reject or cancel
 * @param payload   the payload text (a description or candidate as JSON, or a reason)
 * @param timestamp when the service queued it, milliseconds since the epoch (0 if unknown)
 */
record Signal(String from, String fromName, String type, String payload, long timestamp) {

    static final String OFFER = "offer";
    static final String ANSWER = "answer";
    static final String ICE_CANDIDATE = "ice-candidate";
    static final String RECONNECT_OFFER = "reconnect-offer";
    static final String RECONNECT_ANSWER = "reconnect-answer";
    static final String REJECT = "reject";
    static final String CANCEL = "cancel";
}
