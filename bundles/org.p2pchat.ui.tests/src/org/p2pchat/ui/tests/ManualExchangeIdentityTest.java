package org.p2pchat.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Text;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.ServiceReference;
import org.p2pchat.core.PeerSession;
import org.p2pchat.core.PeerTransport;
import org.p2pchat.core.SessionConfig;
import org.p2pchat.core.SessionDescription;
import org.p2pchat.core.identity.IdentityService;
import org.p2pchat.core.internal.identity.Ed25519IdentityService;
import org.p2pchat.core.settings.SettingsStore;
import org.p2pchat.core.signaling.SignedDescription;
import org.p2pchat.core.signaling.PasteCodec;
import org.p2pchat.signaling.manual.internal.ManualPasteCodec;
import org.p2pchat.testing.NetworkIsolation;
import org.p2pchat.signaling.manual.internal.ManualSignalingProvider;
import org.p2pchat.ui.internal.parts.ClientPart;

/**
 * The manual exchange's identity checks with real descriptions: a peer's offer from the real
 * transport, signed by the peer's own identity, is verified (and the chat then shows the peer's
 * key and the safety number the peer derives too); the same offer with its DTLS fingerprint
 * changed on the way is refused as a possible man in the middle; an offer without proof (the
 * web app) is accepted and the peer shown as unverified.
 * <p>
 * Opens WebRTC connections: runs only inside the test network namespace, with no ICE servers.
 */
class ManualExchangeIdentityTest {

    private static final long SECONDS = 60;
    private static final Pattern FIRST_FINGERPRINT_BYTE = Pattern.compile("(?m)^a=fingerprint:\\S+ ([0-9A-Fa-f]{2})");

    private PartHarness harness;
    private IdentityService ours;
    private IdentityService theirs;
    private PeerTransport transport;
    private final PasteCodec manual = ManualPasteCodec.INSTANCE;
    private PeerSession peer;

    @BeforeAll
    static void network() {
        NetworkIsolation.requireIsolatedNetwork();
    }

    @BeforeEach
    void open(@TempDir Path dir) throws Exception {
        harness = new PartHarness("ManualExchangeIdentityTest");
        ours = harness.registerProfile("desk", dir.resolve("desk"));
        theirs = new Ed25519IdentityService(dir.resolve("peer"));
        transport = service(PeerTransport.class);
        harness.clientLayer(transport, new ManualSignalingProvider());
        harness.make(ClientPart.class, 900, 760);
        harness.chooseMethod("Manual exchange");
        peer = transport.createSession(SessionConfig.of(List.of(), "peer"));
    }

    @AfterEach
    void close() {
        peer.close();
        harness.close();
    }

    @Test
    void aSignedOfferIsVerifiedAndTheSameOfferWithAnotherFingerprintIsRefused() throws Exception {
        SessionDescription offer = harness.await(peer.createOffer(), SECONDS, "the peer's offer");
        Text pasted = harness.byId(Text.class, "exchange.pastedOffer");
        Button createAnswer = harness.byId(Button.class, "exchange.createAnswer");
        Label status = harness.byId(Label.class, "exchange.status.answer");
        Text answerText = harness.byId(Text.class, "exchange.answerText");

        // A man in the middle puts his own DTLS fingerprint in; the peer's signature no longer fits.
        pasted.setText(manual.encode(new SignedDescription(withOtherFingerprint(offer), theirs.prove(offer)),
                PasteCodec.Form.COMPACT));
        PartHarness.click(createAnswer);
        harness.waitUntil(() -> status.getText().contains("possibly a man in the middle"), SECONDS,
                "refused inline: " + status.getText());
        assertFalse(answerText.isVisible(), "no answer to a changed offer");
        System.out.println("screenshot: " + harness.screenshot("exchange-tampered-offer"));

        pasted.setText(manual.encode(new SignedDescription(offer, theirs.prove(offer)), PasteCodec.Form.COMPACT));
        PartHarness.click(createAnswer);
        harness.waitUntil(() -> !answerText.getText().isEmpty(), SECONDS, "the answer appears");
        assertTrue(status.getText().startsWith("Signed by key " + theirs.self().fingerprint()), status.getText());
        SignedDescription answer = manual.decode(answerText.getText(), SessionDescription.Type.ANSWER);
        assertNotNull(answer.proof(), "our answer carries our proof");
        assertEquals(ours.self(), theirs.verify(answer.description(), answer.proof()), "and the peer verifies it");

        harness.await(peer.acceptAnswer(answer.description()), SECONDS, "the peer takes the answer");
        Label identity = harness.byId(Label.class, "chat.identity");
        harness.waitUntil(() -> identity.isVisible() && identity.getText().contains(theirs.self().fingerprint()),
                SECONDS, "the chat shows the peer's key: " + identity.getText());
        Button compare = harness.byId(Button.class, "chat.safetyNumber");
        harness.waitUntil(compare::isVisible, SECONDS, "the safety number, once connected"); // the key shows before
        PartHarness.click(compare);
        Label number = harness.waitFor(() -> Arrays.stream(harness.display.getShells())
                .map(s -> PartHarness.findById(s, Label.class, "safety.number")).filter(l -> l != null)
                .findFirst().orElse(null), SECONDS, "the safety number dialog");
        assertEquals(theirs.safetyNumber(ours.self()), number.getText().replaceAll("\\s+", " "),
                "the peer derives the same safety number");
        number.getShell().close();
    }

    @Test
    void anOfferWithoutProofIsAcceptedAndThePeerShownUnverified() throws Exception {
        SessionDescription offer = harness.await(peer.createOffer(), SECONDS, "the peer's offer");
        harness.byId(Text.class, "exchange.pastedOffer").setText(manual.encode(SignedDescription.unsigned(offer), PasteCodec.Form.BROWSER_JSON));
        PartHarness.click(harness.byId(Button.class, "exchange.createAnswer"));
        Text answerText = harness.byId(Text.class, "exchange.answerText");
        harness.waitUntil(() -> !answerText.getText().isEmpty(), SECONDS, "the answer appears");
        Label status = harness.byId(Label.class, "exchange.status.answer");
        assertTrue(status.getText().startsWith("Unverified: your peer's app proves no identity"), status.getText());
        System.out.println("screenshot: " + harness.screenshot("exchange-unverified-offer"));

        SessionDescription answer = manual.decode(answerText.getText(), SessionDescription.Type.ANSWER).description();
        harness.await(peer.acceptAnswer(answer), SECONDS, "the peer takes the answer");
        Label identity = harness.byId(Label.class, "chat.identity");
        harness.waitUntil(() -> identity.isVisible() && identity.getText().startsWith("\u26a0 Unverified"), SECONDS,
                "the chat says the peer is unverified: " + identity.getText());
        assertFalse(harness.byId(Button.class, "chat.safetyNumber").isVisible(), "no safety number without a key");
        System.out.println("screenshot: " + harness.screenshot("chat-unverified"));
    }

    /** {@code d} with the first byte of its DTLS fingerprint changed. */
    private static SessionDescription withOtherFingerprint(SessionDescription d) {
        Matcher m = FIRST_FINGERPRINT_BYTE.matcher(d.sdp());
        assertTrue(m.find(), "the offer has a DTLS fingerprint");
        String other = m.group(1).equalsIgnoreCase("00") ? "01" : "00";
        return new SessionDescription(d.type(), d.sdp().substring(0, m.start(1)) + other + d.sdp().substring(m.end(1)));
    }

    private <S> S service(Class<S> type) {
        ServiceReference<S> reference = harness.bundleContext.getServiceReference(type);
        assertNotNull(reference, "no " + type.getSimpleName() + " service");
        return harness.bundleContext.getService(reference);
    }
}
