package org.p2pchat.transport.webrtc.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.p2pchat.core.PeerSession;
import org.p2pchat.core.SessionDescription;
import org.p2pchat.testing.NetworkIsolation;

/**
 * A real Chrome offer, as the web app pastes it (the same capture the manual exchange's tests read:
 * IPv4 and IPv6 host, TCP, server-reflexive and relay candidates, addresses from the documentation
 * ranges), fed unchanged to the real transport. Inside the test namespace nothing can reach those
 * addresses; the answer is what this checks.
 */
class ChromeOfferTest {

    @BeforeAll
    static void isolated() {
        NetworkIsolation.requireIsolatedNetwork();
    }

    @Test
    void theTransportAnswersARealChromeOffer() throws Exception {
        SessionDescription offer = new SessionDescription(SessionDescription.Type.OFFER, resource("chrome-offer.sdp"));
        PeerSession session = PeerPair.transport().createSession(PeerPair.config("bob"));
        try {
            SessionDescription answer = session.acceptOffer(offer).get(PeerPair.TIMEOUT_SECONDS, TimeUnit.SECONDS);
            String sdp = answer.sdp();
            assertEquals(SessionDescription.Type.ANSWER, answer.type());
            assertTrue(sdp.startsWith("v=0\r\n"), sdp);
            // One data-channel section in Chrome's bundle, answered as the DTLS client, with our
            // own fingerprint and credentials and the SCTP port Chrome asked for.
            assertEquals(1, count(sdp, "(?m)^m="), sdp);
            assertTrue(sdp.contains("\r\nm=application ") && sdp.contains(" UDP/DTLS/SCTP webrtc-datachannel\r\n"), sdp);
            assertTrue(sdp.contains("\r\na=group:BUNDLE 0\r\n") && sdp.contains("\r\na=mid:0\r\n"), sdp);
            assertTrue(sdp.contains("\r\na=setup:active\r\n"), sdp);
            assertTrue(sdp.contains("\r\na=sctp-port:5000\r\n"), sdp);
            assertEquals(1, count(sdp, "(?m)^a=fingerprint:sha-256 ([0-9A-F]{2}:){31}[0-9A-F]{2}$"), sdp);
            assertTrue(!sdp.contains("6B:8B:5D:EA:59:04"), "our own fingerprint, not Chrome's: " + sdp);
            assertTrue(!sdp.contains("a=ice-ufrag:ZbH3\r\n"), "our own ICE credentials: " + sdp);
            // Non-trickle: the answer carries our host candidate on the namespace's network.
            assertTrue(count(sdp, "(?m)^a=candidate:\\S+ 1 udp \\d+ 192\\.0\\.2\\.\\d+ \\d+ typ host") >= 1, sdp);
        } finally {
            session.close();
        }
    }

    private static long count(String text, String regex) {
        return Pattern.compile(regex).matcher(text).results().count();
    }

    /** A resource beside this class, its lines ended in CRLF as SDP requires whatever the checkout did. */
    private static String resource(String name) throws IOException {
        try (InputStream in = ChromeOfferTest.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("\r\n", "\n").replace("\n", "\r\n");
        }
    }
}
