package org.p2pchat.signaling.dht.internal;

import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;

import org.p2pchat.core.IceCandidate;
import org.p2pchat.core.signaling.SignalingException;

/** The web app's trickled candidate, {@code JSON.stringify(event.candidate)}: {@code {"candidate","sdpMid","sdpMLineIndex"}}. */
final class CandidateJson {

    private CandidateJson() {
    }

    /**
     * The candidate, or {@code null} for the end-of-candidates marker (an empty candidate).
     *
     * @throws SignalingException if the payload is not a candidate
     */
    static IceCandidate decode(String payload) throws SignalingException {
        JsonObject o;
        try {
            o = JsonParser.parseString(payload) instanceof JsonObject object ? object : null;
        } catch (JsonParseException e) {
            o = null;
        }
        String candidate = o == null ? null : JsonFields.string(o, "candidate");
        if (candidate == null) {
            throw new SignalingException("an ice-candidate payload that is not {\"candidate\",\"sdpMid\",\"sdpMLineIndex\"}");
        }
        if (candidate.isEmpty()) {
            return null;
        }
        String mid = JsonFields.string(o, "sdpMid");
        int index = o.get("sdpMLineIndex") instanceof JsonPrimitive p && p.isNumber() ? p.getAsInt() : 0;
        return new IceCandidate(mid, index, candidate);
    }
}
