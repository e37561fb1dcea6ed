package org.p2pchat.signaling.manual.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.p2pchat.signaling.manual.tests.SampleDescriptions.CHROME_ANSWER;
import static org.p2pchat.signaling.manual.tests.SampleDescriptions.MINIMAL_SDP;

import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.p2pchat.core.SessionDescription;
import org.p2pchat.core.SessionDescription.Type;
import org.p2pchat.core.signaling.SignalingException;
import org.p2pchat.core.signaling.PasteCodec.Form;

class ManualExchangeRoundTripTest {

    private final RegisteredProvider.Paste provider = RegisteredProvider.paste();

    static Stream<Arguments> samplesInBothForms() {
        return SampleDescriptions.ALL.stream().flatMap(d -> Stream.of(Form.values()).map(f -> Arguments.of(d, f)));
    }

    @ParameterizedTest
    @MethodSource("samplesInBothForms")
    void roundTripsExactly(SessionDescription description, Form form) throws SignalingException {
        assertEquals(description, provider.decode(provider.encode(description, form), description.type()));
    }

    @Test
    void browserFormIsWhatJsonStringifyWrites() {
        // Both expected strings were produced by node: JSON.stringify({type, sdp}).
        assertEquals("{\"type\":\"offer\",\"sdp\":\"v=0\\r\\no=- 1 2 IN IP4 127.0.0.1\\r\\ns=-\\r\\nt=0 0\\r\\n"
                + "a=fingerprint:sha-256 AB:CD\\r\\n\"}",
                provider.encode(new SessionDescription(Type.OFFER, MINIMAL_SDP), Form.BROWSER_JSON));
        assertEquals("{\"type\":\"answer\",\"sdp\":\"v=0\\r\\n"
                + "o=- 4215775240449105457 2 IN IP4 127.0.0.1\\r\\n"
                + "s=-\\r\\n"
                + "t=0 0\\r\\n"
                + "a=group:BUNDLE 0\\r\\n"
                + "a=extmap-allow-mixed\\r\\n"
                + "a=msid-semantic: WMS\\r\\n"
                + "m=application 50001 UDP/DTLS/SCTP webrtc-datachannel\\r\\n"
                + "c=IN IP4 192.0.2.1\\r\\n"
                + "a=candidate:2999745851 1 udp 2122260223 192.0.2.1 50001 typ host generation 0 network-id 1 network-cost 10\\r\\n"
                + "a=candidate:1936965449 1 udp 2122262783 2001:db8::1 50002 typ host generation 0 network-id 2 network-cost 10\\r\\n"
                + "a=candidate:4233069003 1 tcp 1518280447 192.0.2.1 9 typ host tcptype active generation 0 network-id 1 network-cost 10\\r\\n"
                + "a=candidate:842163049 1 udp 1686052607 203.0.113.7 50001 typ srflx raddr 192.0.2.1 rport 50001 generation 0 network-id 1 network-cost 10\\r\\n"
                + "a=candidate:3317856371 1 udp 41885439 198.51.100.20 61234 typ relay raddr 203.0.113.7 rport 50001 generation 0 network-id 1 network-cost 10\\r\\n"
                + "a=ice-ufrag:ZbH3\\r\\n"
                + "a=ice-pwd:5Ki8Q2wD8mPRY0bFq+0Qe0dS\\r\\n"
                + "a=ice-options:trickle\\r\\n"
                + "a=fingerprint:sha-256 6B:8B:5D:EA:59:04:20:23:29:C8:87:1C:CD:87:32:BE:DD:8C:66:A5:8E:50:55:EA:3C:D3:4F:82:AE:58:0C:25\\r\\n"
                + "a=setup:active\\r\\n"
                + "a=mid:0\\r\\n"
                + "a=sctp-port:5000\\r\\n"
                + "a=max-message-size:262144\\r\\n\"}",
                provider.encode(CHROME_ANSWER, Form.BROWSER_JSON));
    }

    @Test
    void browserFormEscapesOnlyWhatJsonStringifyEscapes() throws SignalingException {
        // No HTML escaping of '=', '<' or '&', U+2028 and DEL raw, lone surrogates and control
        // characters as lowercase hex escapes: what node's JSON.stringify wrote for this SDP.
        String sdp = "v=0\r\ns=\u2028\uD800 \uDC00x \u0001\u001f \"q\" \\ 😀 </script> =&\u007f\t\b\f\r\n"
                + "a=fingerprint:sha-256 AB:CD\r\n";
        SessionDescription description = new SessionDescription(Type.OFFER, sdp);

        String json = provider.encode(description, Form.BROWSER_JSON);

        assertEquals("{\"type\":\"offer\",\"sdp\":\"v=0\\r\\ns=\u2028\\ud800 \\udc00x \\u0001\\u001f \\\"q\\\" \\\\ 😀 "
                + "</script> =&\u007f\\t\\b\\f\\r\\na=fingerprint:sha-256 AB:CD\\r\\n\"}", json);
        assertEquals(description, provider.decode(json, Type.OFFER));
    }

    @ParameterizedTest
    @FieldSource("org.p2pchat.signaling.manual.tests.SampleDescriptions#ALL")
    void compactFormIsOneShortLine(SessionDescription description) {
        String compact = provider.encode(description, Form.COMPACT);
        String json = provider.encode(description, Form.BROWSER_JSON);

        assertTrue(compact.matches("p2pchat1:[A-Za-z0-9_-]+"), compact);
        assertTrue(compact.length() <= json.length() * 0.65,
                () -> "compact " + compact.length() + " chars, JSON " + json.length() + " chars");
    }

    @ParameterizedTest
    @EnumSource(Type.class)
    void unicodeSdpRoundTripsInBothForms(Type type) throws SignalingException {
        SessionDescription description = new SessionDescription(type,
                "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=Grüße 👋🏽 中文\r\ni=\"quoted\" \\ back\r\nt=0 0\r\n"
                        + "a=fingerprint:sha-256 AB:CD\r\n");

        for (Form form : Form.values()) {
            assertEquals(description, provider.decode(provider.encode(description, form), type));
        }
    }

    @Test
    void largeSdpRoundTripsCompact() throws SignalingException {
        StringBuilder sdp = new StringBuilder(CHROME_ANSWER.sdp());
        Random random = new Random(7);
        while (sdp.length() < 200 * 1024) {
            sdp.append("a=candidate:").append(random.nextInt(Integer.MAX_VALUE)).append(" 1 udp 2122260223 192.0.2.")
                    .append(random.nextInt(255)).append(' ').append(1024 + random.nextInt(60000))
                    .append(" typ host generation 0 network-id 1\r\n");
        }
        SessionDescription description = new SessionDescription(Type.ANSWER, sdp.toString());

        assertEquals(description, provider.decode(provider.encode(description, Form.COMPACT), Type.ANSWER));
    }

    @Test
    void compactFormSurvivesWrappingSpacingAndQuotes() throws SignalingException {
        String compact = provider.encode(CHROME_ANSWER, Form.COMPACT);
        StringBuilder mangled = new StringBuilder(compact);
        // A mail client's line breaks, a chat app's spaces, a non-breaking space and a zero-width space.
        for (int at = 60; at < mangled.length(); at += 62) {
            mangled.insert(at, "\r\n");
        }
        mangled.insert(5, ' ').insert(20, '\u00A0').insert(31, '\u200B').insert(mangled.length() - 3, "\n  ");

        for (String pasted : new String[] { mangled.toString(), "  \n" + compact + "\t\n", "\"" + compact + "\"",
                "'" + mangled + "'", "\u201C" + compact + "\u201D", compact.toUpperCase().substring(0, 9) + compact.substring(9) }) {
            assertEquals(CHROME_ANSWER, provider.decode(pasted, Type.ANSWER), pasted);
        }
    }

    @Test
    void browserFormSurvivesPrettyPrintingWrappingAndQuotes() throws SignalingException {
        String json = provider.encode(CHROME_ANSWER, Form.BROWSER_JSON);
        String pretty = json.replace("{\"type\":", "{\n  \"type\": ").replace(",\"sdp\":", ",\n  \"sdp\": ")
                .replace("\"}", "\"\n}");
        String sdpFirst = "{\"sdp\":" + json.substring(json.indexOf(",\"sdp\":") + 7, json.length() - 1)
                + ",\"type\":\"answer\"}";
        StringBuilder wrapped = new StringBuilder(json);
        for (int at = 72; at < wrapped.length(); at += 73) {
            wrapped.insert(at, '\n');
        }
        // The web app's rendezvous payload: the description as a JSON string.
        String asJsonString = "\"" + json.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";

        for (String pasted : new String[] { pretty, sdpFirst, wrapped.toString(), "\r\n\t" + json + "  \n",
                "'" + json + "'", "`" + pretty + "`", asJsonString, "'" + asJsonString + "'" }) {
            assertEquals(CHROME_ANSWER, provider.decode(pasted, Type.ANSWER), pasted);
        }
    }

    @Test
    void inputJustUnderTheCapIsRead() throws SignalingException {
        String compact = provider.encode(CHROME_ANSWER, Form.COMPACT);
        String padded = compact + " ".repeat(128 * 1024 - compact.length());

        assertEquals(CHROME_ANSWER, provider.decode(padded, Type.ANSWER));
    }
}
