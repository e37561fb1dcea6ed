package org.p2pchat.signaling.manual.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;

import org.junit.jupiter.api.Test;
import org.p2pchat.core.SessionDescription;
import org.p2pchat.core.identity.IdentityException;
import org.p2pchat.core.identity.IdentityProof;
import org.p2pchat.core.internal.identity.Ed25519IdentityService;
import org.p2pchat.core.signaling.SignalingException;
import org.p2pchat.core.signaling.SignedDescription;
import org.p2pchat.core.signaling.PasteCodec.Form;

/** Our identity proof travels in both text forms and survives exactly; tampering shows. */
class IdentityProofCarriedTest {

    private final RegisteredProvider.Paste manual = RegisteredProvider.paste();

    @Test
    void theProofRoundTripsInBothFormsAndVerifies() throws Exception {
        Ed25519IdentityService alice = new Ed25519IdentityService(Files.createTempDirectory("alice"));
        Ed25519IdentityService bob = new Ed25519IdentityService(Files.createTempDirectory("bob"));
        for (Form form : Form.values()) {
            SessionDescription offer = SampleDescriptions.LIBWEBRTC_OFFER;
            IdentityProof proof = alice.prove(offer);
            SignedDescription read = manual.decodeSigned(manual.encode(new SignedDescription(offer, proof), form),
                    SessionDescription.Type.OFFER);
            assertEquals(offer, read.description(), form.name());
            assertEquals(proof, read.proof(), form.name());
            assertEquals(alice.self(), bob.verify(read.description(), read.proof()));
        }
    }

    @Test
    void theBrowserFormKeepsTheWebAppsMembersFirstAndAnUnsignedPasteHasNoProof() throws Exception {
        Ed25519IdentityService alice = new Ed25519IdentityService(Files.createTempDirectory("alice"));
        SessionDescription offer = SampleDescriptions.CHROME_OFFER;
        String json = manual.encode(new SignedDescription(offer, alice.prove(offer)), Form.BROWSER_JSON);
        assertTrue(json.startsWith(manual.encode(offer, Form.BROWSER_JSON).replaceFirst("}$", ",\"p2pchatIdentity\":{")), json);
        assertNull(manual.decodeSigned(manual.encode(offer, Form.BROWSER_JSON), SessionDescription.Type.OFFER).proof());
        assertNull(manual.decodeSigned(manual.encode(offer, Form.COMPACT), SessionDescription.Type.OFFER).proof());
    }

    @Test
    void aFingerprintSwappedInTheJsonFormIsCaughtByTheIdentityCheck() throws Exception {
        Ed25519IdentityService alice = new Ed25519IdentityService(Files.createTempDirectory("alice"));
        Ed25519IdentityService bob = new Ed25519IdentityService(Files.createTempDirectory("bob"));
        SessionDescription offer = SampleDescriptions.LIBWEBRTC_OFFER;
        String json = manual.encode(new SignedDescription(offer, alice.prove(offer)), Form.BROWSER_JSON);
        String tampered = json.replaceFirst("(a=fingerprint:sha-256 )([0-9A-F]{2})", "$1" + "00");
        SignedDescription read = manual.decodeSigned(tampered, SessionDescription.Type.OFFER);
        assertThrows(IdentityException.class, () -> bob.verify(read.description(), read.proof()));
    }

    @Test
    void aDamagedIdentityPartIsAClearPasteError() throws Exception {
        String json = manual.encode(SampleDescriptions.CHROME_OFFER, Form.BROWSER_JSON)
                .replaceFirst("}$", ",\"p2pchatIdentity\":{\"key\":\"garbage\",\"nonce\":\"x\",\"signature\":\"y\"}}");
        SignalingException e = assertThrows(SignalingException.class,
                () -> manual.decodeSigned(json, SessionDescription.Type.OFFER));
        assertTrue(e.getMessage().contains("identity part is damaged"), e.getMessage());
    }
}
