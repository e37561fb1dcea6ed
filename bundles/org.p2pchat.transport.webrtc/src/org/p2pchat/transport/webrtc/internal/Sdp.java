package org.p2pchat.transport.webrtc.internal;

import org.p2pchat.core.SessionDescription;
import org.p2pchat.core.SessionException;

import dev.onvoid.webrtc.RTCSdpType;
import dev.onvoid.webrtc.RTCSessionDescription;

/** Conversions between our descriptions and webrtc-java's, and its errors into ours. */
final class Sdp {

    private Sdp() {
    }

    static RTCSessionDescription toRtc(SessionDescription d) {
        return new RTCSessionDescription(d.type() == SessionDescription.Type.OFFER ? RTCSdpType.OFFER : RTCSdpType.ANSWER,
                d.sdp());
    }

    static SessionDescription fromRtc(RTCSessionDescription d) {
        SessionDescription.Type type = switch (d.sdpType) {
            case OFFER -> SessionDescription.Type.OFFER;
            case ANSWER, PR_ANSWER -> SessionDescription.Type.ANSWER;
            default -> throw new IllegalStateException("unexpected local description type " + d.sdpType);
        };
        return new SessionDescription(type, d.sdp);
    }

    /**
     * webrtc-java reports unparsable SDP by throwing {@code java.lang.Error} from
     * {@code setRemoteDescription}; this turns that, and the observer's failure strings, into a
     * message a user can act on.
     */
    static SessionException invalid(SessionDescription.Type type, String detail, Throwable cause) {
        String what = type == SessionDescription.Type.OFFER ? "offer" : "answer";
        String reason = detail == null ? "" : detail.replaceFirst("^Create session description failed: ", "");
        return new SessionException("The " + what + " could not be used: " + reason
                + ". Ask your peer to create a new " + what + " and paste it again.", cause);
    }

    /** Whether an Error thrown by webrtc-java is its way of reporting bad input, not a JVM failure. */
    static boolean isNativeInputError(Error e) {
        return !(e instanceof VirtualMachineError) && !(e instanceof LinkageError);
    }
}
