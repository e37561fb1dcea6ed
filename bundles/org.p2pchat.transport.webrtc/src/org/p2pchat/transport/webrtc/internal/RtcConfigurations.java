package org.p2pchat.transport.webrtc.internal;

import java.util.List;

import org.p2pchat.core.IceServer;

import dev.onvoid.webrtc.RTCConfiguration;
import dev.onvoid.webrtc.RTCIceServer;

/** Builds libwebrtc configurations from our ICE server list. */
final class RtcConfigurations {

    private RtcConfigurations() {
    }

    static RTCConfiguration of(List<IceServer> servers) {
        RTCConfiguration rtc = new RTCConfiguration();
        for (IceServer server : servers) {
            RTCIceServer s = new RTCIceServer();
            s.urls = List.of(server.url());
            s.username = server.username();
            s.password = server.credential();
            rtc.iceServers.add(s);
        }
        return rtc;
    }
}
