package org.p2pchat.core;

import java.util.Objects;

/**
 * A WebRTC session description: what an offer or answer carries between peers.
 *
 * @param type offer or answer
 * @param sdp  the SDP text, with all ICE candidates in it (non-trickle)
 */
public record SessionDescription(Type type, String sdp) {

    public enum Type {
        OFFER("offer"), ANSWER("answer");

        private final String wireName;

        Type(String wireName) {
            this.wireName = wireName;
        }

        /** The name the browser's {@code RTCSessionDescription.type} uses. */
        public String wireName() {
            return wireName;
        }

        /** The type for a browser name, or {@code null} if it is not one we negotiate with. */
        public static Type fromWireName(String name) {
            for (Type t : values()) {
                if (t.wireName.equals(name)) {
                    return t;
                }
            }
            return null;
        }
    }

    public SessionDescription {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(sdp, "sdp");
    }
}
