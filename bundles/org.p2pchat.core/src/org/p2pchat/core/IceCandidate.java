package org.p2pchat.core;

import java.util.Objects;

/**
 * One ICE candidate for trickle signaling (a rendezvous service can deliver candidates one by
 * one; manual exchange carries them inside the description instead).
 *
 * @param sdpMid        the media stream identification the candidate belongs to
 * @param sdpMLineIndex the index of that media section
 * @param candidate     the {@code candidate:...} attribute value
 */
public record IceCandidate(String sdpMid, int sdpMLineIndex, String candidate) {

    public IceCandidate {
        Objects.requireNonNull(candidate, "candidate");
    }
}
