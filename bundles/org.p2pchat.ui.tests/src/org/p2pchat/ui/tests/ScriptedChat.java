package org.p2pchat.ui.tests;

import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Text;
import org.p2pchat.core.CandidatePath;
import org.p2pchat.core.ChatMessage;
import org.p2pchat.core.ConnectionState;
import org.p2pchat.core.signaling.PasteCodec;
import org.p2pchat.core.signaling.SignedDescription;
import org.p2pchat.signaling.manual.internal.ManualPasteCodec;
import org.p2pchat.ui.internal.parts.ClientPart;

/**
 * A chat of the desktop client over a scripted session, made the way a user makes one: the
 * manual exchange's offer is created in the window and the peer's answer pasted; the real client
 * layer and the real manual provider do the rest. The test then drives the session.
 */
final class ScriptedChat {

    static final long SECONDS = 60;
    static final CandidatePath DIRECT = new CandidatePath(CandidatePath.CandidateType.HOST,
            CandidatePath.CandidateType.HOST, "192.0.2.1:5000", "192.0.2.2:5001", "udp");

    private ScriptedChat() {
    }

    /** The offer is made and answered (the web app's form, without a proof); returns the session, not connected yet. */
    static ScriptedSession exchange(PartHarness harness, ScriptedTransport transport) {
        harness.chooseMethod("Manual exchange");
        Button create = harness.waitFor(() -> PartHarness.findById(harness.shell, Button.class, "exchange.createOffer"),
                SECONDS, "the manual exchange is shown");
        PartHarness.click(create);
        Text offer = harness.byId(Text.class, "exchange.offerText");
        harness.waitUntil(() -> !offer.getText().isEmpty(), SECONDS, "the offer is shown");
        ScriptedSession session = transport.last();
        harness.byId(Text.class, "exchange.pastedAnswer").setText(ManualPasteCodec.INSTANCE.encode(
                SignedDescription.unsigned(session.answer), PasteCodec.Form.BROWSER_JSON));
        PartHarness.click(harness.byId(Button.class, "exchange.connect"));
        harness.waitUntil(() -> session.remote != null, SECONDS, "the session gets the pasted answer");
        return session;
    }

    /** As {@link #exchange}, then the session connects and bob joins; the chat opens. */
    static ScriptedSession connect(PartHarness harness, ClientPart part, ScriptedTransport transport) {
        ScriptedSession session = exchange(harness, transport);
        session.fire(ConnectionState.CONNECTED);
        session.path(DIRECT);
        session.receive(ChatMessage.joinNotice("bob"));
        session.peerClient.complete("scripted"); // bob's join notice named a client of ours (not the web app)
        harness.waitUntil(part::isChatShown, SECONDS, "the chat is shown once connected");
        Label status = harness.byId(Label.class, "chat.status");
        harness.waitUntil(() -> status.getText().contains("Connected to bob"), SECONDS, status.getText());
        return session;
    }
}
