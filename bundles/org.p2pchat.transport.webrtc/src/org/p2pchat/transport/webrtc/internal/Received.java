package org.p2pchat.transport.webrtc.internal;

import java.nio.ByteBuffer;

import dev.onvoid.webrtc.RTCDataChannelBuffer;

/** Copies received data out of libwebrtc's buffer, which is freed when the callback returns. */
final class Received {

    private Received() {
    }

    static byte[] copy(RTCDataChannelBuffer buffer) {
        ByteBuffer data = buffer.data;
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        return bytes;
    }
}
