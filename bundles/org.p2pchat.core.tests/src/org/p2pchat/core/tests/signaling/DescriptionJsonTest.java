package org.p2pchat.core.tests.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.p2pchat.core.SessionDescription;
import org.p2pchat.core.SessionDescription.Type;
import org.p2pchat.core.identity.IdentityProof;
import org.p2pchat.core.internal.identity.Ed25519IdentityService;
import org.p2pchat.core.signaling.DescriptionJson;
import org.p2pchat.core.signaling.SignalingException;
import org.p2pchat.core.signaling.SignedDescription;

/** The web app's JSON description with our proof member: byte-exact like JSON.stringify, refusing what is not one. */
class DescriptionJsonTest {

    private static final SessionDescription OFFER = new SessionDescription(Type.OFFER,
            "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=fingerprint:sha-256 AB:CD\r\n");

    @TempDir
    Path temp;

    @Test
    void anUnsignedDescriptionIsExactlyTheBrowsersText() {
        assertEquals("{\"type\":\"offer\",\"sdp\":\"v=0\\r\\no=- 1 2 IN IP4 127.0.0.1\\r\\ns=-\\r\\nt=0 0\\r\\n"
                + "a=fingerprint:sha-256 AB:CD\\r\\n\"}", DescriptionJson.encode(SignedDescription.unsigned(OFFER)));
    }

    @Test
    void escapesLikeJsonStringify() {
        SessionDescription odd = new SessionDescription(Type.ANSWER, "s=\u2028\ud800 \udc00x \u0001 \"q\" \\ \uD83D\uDE00");
        assertEquals("{\"type\":\"answer\",\"sdp\":\"s=\u2028\\ud800 \\udc00x \\u0001 \\\"q\\\" \\\\ \uD83D\uDE00\"}",
                DescriptionJson.encode(SignedDescription.unsigned(odd)));
    }

    @Test
    void theProofTravelsAsTheLastMemberAndRoundTrips() throws Exception {
        Ed25519IdentityService alice = new Ed25519IdentityService(temp.resolve("alice"));
        IdentityProof proof = alice.prove(OFFER);
        String json = DescriptionJson.encode(new SignedDescription(OFFER, proof));
        assertTrue(json.startsWith(DescriptionJson.encode(SignedDescription.unsigned(OFFER)).replaceFirst("}$", ",\""
                + DescriptionJson.IDENTITY_MEMBER + "\":{\"key\":")), json);
        SignedDescription read = DescriptionJson.decode(json, Type.OFFER);
        assertEquals(OFFER, read.description());
        assertEquals(proof, read.proof());
        assertNull(DescriptionJson.decode(DescriptionJson.encode(SignedDescription.unsigned(OFFER))).proof());
    }

    @Test
    void theWrongTypeIsRefusedWhenATypeIsExpected() throws Exception {
        String json = DescriptionJson.encode(SignedDescription.unsigned(OFFER));
        assertEquals(OFFER, DescriptionJson.decode(json).description());
        SignalingException e = assertThrows(SignalingException.class, () -> DescriptionJson.decode(json, Type.ANSWER));
        assertEquals("This is an offer, but an answer is needed here.", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = { "", " ", "{\"type\":\"offer\"", "not json", "[1,2]", "42", "{\"type\":\"offer\",\"sdp\":42}",
            "{\"type\":\"rollback\",\"sdp\":\"v=0\"}", "{\"sdp\":\"v=0\"}", "{\"type\":\"offer\",\"sdp\":\"v=0\",\"p2pchatIdentity\":1}",
            "{\"type\":\"offer\",\"sdp\":\"v=0\",\"p2pchatIdentity\":{\"key\":\"garbage\",\"nonce\":\"n\",\"signature\":\"s\"}}" })
    void whatIsNotADescriptionIsRefusedWithAReason(String text) {
        SignalingException e = assertThrows(SignalingException.class, () -> DescriptionJson.decode(text, Type.OFFER));
        assertTrue(e.getMessage().length() > 20, e.getMessage());
    }
}
