package org.p2pchat.signaling.manual.tests;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.p2pchat.core.SessionDescription;
import org.p2pchat.core.SessionDescription.Type;

/**
 * Descriptions as real peers produce them for a data-channel-only session, with every candidate
 * gathered (non-trickle). Addresses are from the documentation ranges.
 */
final class SampleDescriptions {

    /** Chrome 13x: IPv4 and IPv6 host, TCP, server-reflexive and relay candidates. */
    static final String CHROME_OFFER_SDP = sdp("chrome-offer.sdp");

    /** libwebrtc as webrtc-java embeds it: no network-cost, the port of the first host candidate. */
    static final String LIBWEBRTC_ANSWER_SDP = sdp("libwebrtc-answer.sdp");

    static final SessionDescription CHROME_OFFER = new SessionDescription(Type.OFFER, CHROME_OFFER_SDP);
    static final SessionDescription CHROME_ANSWER = new SessionDescription(Type.ANSWER,
            CHROME_OFFER_SDP.replace("a=setup:actpass", "a=setup:active"));
    static final SessionDescription LIBWEBRTC_OFFER = new SessionDescription(Type.OFFER,
            LIBWEBRTC_ANSWER_SDP.replace("a=setup:active", "a=setup:actpass"));
    static final SessionDescription LIBWEBRTC_ANSWER = new SessionDescription(Type.ANSWER, LIBWEBRTC_ANSWER_SDP);

    static final List<SessionDescription> ALL = List.of(CHROME_OFFER, CHROME_ANSWER, LIBWEBRTC_OFFER, LIBWEBRTC_ANSWER);

    /** The smallest description the provider accepts. */
    static final String MINIMAL_SDP = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=fingerprint:sha-256 AB:CD\r\n";

    private SampleDescriptions() {
    }

    /** A resource beside this class, its lines ended in CRLF as SDP requires whatever the checkout did. */
    private static String sdp(String resource) {
        try (InputStream in = SampleDescriptions.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("\r\n", "\n").replace("\n", "\r\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
