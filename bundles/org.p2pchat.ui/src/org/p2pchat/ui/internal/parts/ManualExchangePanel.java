package org.p2pchat.ui.internal.parts;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;

import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.jface.resource.JFaceResources;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Text;
import org.p2pchat.core.ConnectionState;
import org.p2pchat.core.PeerSession;
import org.p2pchat.core.SessionDescription;
import org.p2pchat.core.SessionException;
import org.p2pchat.core.identity.IdentityException;
import org.p2pchat.core.identity.IdentityService;
import org.p2pchat.core.identity.PublicIdentity;
import org.p2pchat.core.signaling.SignalingException;
import org.p2pchat.core.signaling.SignedDescription;
import org.p2pchat.core.signaling.TextSignalingProvider;
import org.p2pchat.ui.widgets.HelpButton;

/**
 * The three steps of a copy-and-paste exchange: create an offer, or answer a pasted one, and
 * paste the answer. Negotiation runs on transport threads and in jobs; results come back on the
 * UI thread. Errors appear next to their step and the step can be tried again.
 * <p>
 * Every offer and answer shown carries our identity proof; a pasted one is checked against the
 * sender's: a proof that does not hold is refused (the text was changed on the way), no proof
 * (the web app) is accepted and the peer shown as unverified.
 */
final class ManualExchangePanel {

    static final String CREATE_OFFER = "exchange.createOffer";
    static final String OFFER_TEXT = "exchange.offerText";
    static final String FORM = "exchange.form";
    static final String PASTED_OFFER = "exchange.pastedOffer";
    static final String CREATE_ANSWER = "exchange.createAnswer";
    static final String ANSWER_TEXT = "exchange.answerText";
    static final String PASTED_ANSWER = "exchange.pastedAnswer";
    static final String CONNECT = "exchange.connect";
    static final String STATUS_OFFER = "exchange.status.offer";
    static final String STATUS_ANSWER = "exchange.status.answer";
    static final String STATUS_CONNECT = "exchange.status.connect";

    private final TextSignalingProvider provider;
    private final ClientPart client;
    /** Lays the page out again after a field appeared or disappeared. */
    private final Runnable relayout;
    private final Composite root;
    private final Combo form;
    private final Text offerText;
    private final Text pastedOffer;
    private final Text answerText;
    private final Text pastedAnswer;
    private final Button createOffer;
    private final Button createAnswer;
    private final Button connect;
    private final Button offerCopy;
    private final Button answerCopy;
    private final StepStatus offerStatus;
    private final StepStatus answerStatus;
    private final StepStatus connectStatus;

    /** Our offer and answer as shown, each with its proof (made once: a proof's nonce is single-use). */
    private SignedDescription offer;
    private SignedDescription answer;
    /** The last paste that was checked, and what it was found to be: a retry of the same paste is not checked again. */
    private String checkedText;
    private Pasted checkedPaste;
    /** The session our offer belongs to; step 3 completes it. */
    private PeerSession offerSession;
    /** Where state changes of the current session are reported. */
    private StepStatus active;

    ManualExchangePanel(Composite parent, TextSignalingProvider provider, ClientPart client, Runnable relayout) {
        this.provider = provider;
        this.client = client;
        this.relayout = relayout;
        root = new Composite(parent, SWT.NONE);
        GridLayoutFactory.fillDefaults().numColumns(2).spacing(8, 4).applyTo(root);
        GridDataFactory.fillDefaults().grab(true, true).applyTo(root);

        step(root, "1. Start: create an offer", "Create an offer",
                "Click \"Create an offer\". Send the text that appears to your peer through any channel you trust "
                        + "(a messenger, e-mail, a note). Then wait for their answer and paste it in step 3.\n\n"
                        + "\"Compact\" is a short code for P2P Chat apps; choose \"Web app JSON\" if your peer uses "
                        + "the P2P Chat web app.");
        Composite actions = row(root);
        createOffer = Ui.button(actions, "Create offer", CREATE_OFFER, this::createOffer);
        Ui.label(actions, "Form:", SWT.NONE);
        form = Ui.tag(new Combo(actions, SWT.READ_ONLY), FORM);
        form.setItems("Compact (P2P Chat apps)", "Web app JSON");
        form.select(0);
        form.addListener(SWT.Selection, e -> reencode());
        offerText = descriptionField(root, OFFER_TEXT, true);
        offerCopy = copyButton(root, offerText);
        offerStatus = new StepStatus(root, STATUS_OFFER);

        step(root, "2. Or: answer your peer's offer", "Answer an offer",
                "If your peer sent you an offer, paste it here and click \"Create answer\". Send the answer "
                        + "back to your peer; you are connected as soon as they paste it.");
        pastedOffer = pasteField(PASTED_OFFER, "Paste your peer's offer here");
        createAnswer = sideButton(Ui.button(root, "Create answer", CREATE_ANSWER, this::createAnswer));
        answerText = descriptionField(root, ANSWER_TEXT, true);
        answerCopy = copyButton(root, answerText);
        answerStatus = new StepStatus(root, STATUS_ANSWER);

        step(root, "3. Paste your peer's answer", "Paste the answer",
                "After you sent an offer (step 1), your peer answers with a text of their own. Paste it here and "
                        + "click \"Connect\".");
        pastedAnswer = pasteField(PASTED_ANSWER, "Paste your peer's answer here");
        connect = sideButton(Ui.button(root, "Connect", CONNECT, this::connect));
        connectStatus = new StepStatus(root, STATUS_CONNECT);
    }

    Composite control() {
        return root;
    }

    private static void step(Composite parent, String title, String helpTitle, String help) {
        Composite line = row(parent);
        GridDataFactory.fillDefaults().grab(true, false).span(2, 1).indent(0, 8).applyTo(line);
        Ui.heading(line, title);
        HelpButton.create(line, helpTitle, help);
    }

    private static Composite row(Composite parent) {
        Composite row = new Composite(parent, SWT.NONE);
        GridLayoutFactory.fillDefaults().numColumns(4).spacing(8, 0).applyTo(row);
        GridDataFactory.fillDefaults().grab(true, false).span(2, 1).applyTo(row);
        return row;
    }

    private static Text descriptionField(Composite parent, String id, boolean readOnly) {
        Text field = Ui.tag(new Text(parent, SWT.MULTI | SWT.WRAP | SWT.V_SCROLL | SWT.BORDER
                | (readOnly ? SWT.READ_ONLY : SWT.NONE)), id);
        field.setFont(JFaceResources.getTextFont());
        GridDataFactory.fillDefaults().grab(true, false).hint(300, 3 * field.getLineHeight() + 6).applyTo(field);
        return field;
    }

    private Text pasteField(String id, String hint) {
        Text field = descriptionField(root, id, false);
        field.setMessage(hint);
        return field;
    }

    /** A button in the column right of the text fields. */
    private static Button sideButton(Button button) {
        GridDataFactory.fillDefaults().align(SWT.FILL, SWT.BEGINNING).applyTo(button);
        return button;
    }

    /** The Copy button beside an output field; both stay hidden until the field holds a description. */
    private Button copyButton(Composite parent, Text field) {
        Button copy = sideButton(Ui.button(parent, "Copy", null, () -> copy(field)));
        copy.setToolTipText("Copy to the clipboard (Ctrl+Shift+C)");
        Ui.show(field, false);
        Ui.show(copy, false);
        return copy;
    }

    /** A pasted description that may be used, with its sender's identity if it proved one. */
    private record Pasted(SessionDescription description, Optional<PublicIdentity> identity) {
    }

    /** Shows {@code description} in an output field, or hides the field when it is null. */
    private void output(Text field, Button copy, SignedDescription description) {
        field.setText(description == null ? "" : provider.encode(description, form()));
        Ui.show(field, description != null);
        Ui.show(copy, description != null);
        relayout.run();
    }

    private void copy(Text field) {
        if (!field.getText().isEmpty()) {
            Ui.copyToClipboard(field, field.getText());
        }
    }

    private TextSignalingProvider.Form form() {
        return form.getSelectionIndex() == 1 ? TextSignalingProvider.Form.BROWSER_JSON : TextSignalingProvider.Form.COMPACT;
    }

    private void reencode() {
        output(offerText, offerCopy, offer);
        output(answerText, answerCopy, answer);
    }

    /** Copies the description shown last (offer or answer); false if there is none. */
    boolean copyCurrent() {
        Text field = answer != null ? answerText : offer != null ? offerText : null;
        if (field == null) {
            return false;
        }
        copy(field);
        return true;
    }

    // ---- steps ---------------------------------------------------------------------------------

    /** {@code description} with our identity proof, or without one if the identity service is missing. */
    private SignedDescription signed(SessionDescription description) {
        IdentityService identity = client.identity();
        return identity == null ? SignedDescription.unsigned(description)
                : new SignedDescription(description, identity.prove(description));
    }

    private void createOffer() {
        offer = null;
        answer = null;
        reencode();
        run(createOffer, offerStatus, "Creating the offer: gathering network addresses...",
                PeerSession::createOffer, (session, description) -> {
                    offerSession = session;
                    offer = signed(description);
                    reencode();
                    offerStatus.info("Send this offer to your peer, then paste their answer in step 3.");
                    pastedAnswer.setFocus();
                });
    }

    private void createAnswer() {
        Pasted remote = decode(pastedOffer, SessionDescription.Type.OFFER, answerStatus);
        if (remote == null) {
            return;
        }
        offer = null;
        answer = null;
        reencode();
        run(createAnswer, answerStatus, "Creating the answer...", session -> session.acceptOffer(remote.description()),
                (session, description) -> {
                    offerSession = null;
                    answer = signed(description);
                    reencode();
                    client.verified(session, new Verification(remote.identity(), description, remote.description()));
                    answerStatus.busy(identityNote(remote) + "Send this answer to your peer. Waiting for them to connect...");
                });
    }

    private static String identityNote(Pasted remote) {
        return remote.identity().map(key -> "Verified: signed by key " + key.fingerprint() + ". ")
                .orElse("Unverified: your peer's app proves no identity (the web app does not). ");
    }

    private void connect() {
        PeerSession session = offerSession;
        if (session == null || offer == null || session != client.session()) {
            connectStatus.error("Create an offer first (step 1), send it to your peer and paste their answer here.");
            return;
        }
        Pasted remote = decode(pastedAnswer, SessionDescription.Type.ANSWER, connectStatus);
        if (remote == null) {
            return;
        }
        active = connectStatus;
        connect.setEnabled(false);
        connectStatus.busy(identityNote(remote) + "Connecting...");
        client.verified(session, new Verification(remote.identity(), offer.description(), remote.description()));
        session.acceptAnswer(remote.description()).whenComplete((ok, error) -> Ui.async(root, () -> {
            connect.setEnabled(true);
            if (error != null) {
                connectStatus.error("Could not use the answer: " + Ui.message(error));
            }
        }));
    }

    /**
     * The pasted description with its sender's identity, or null after showing what is wrong with
     * it: unreadable, or a proof that does not hold (changed on the way, or replayed).
     */
    private Pasted decode(Text field, SessionDescription.Type type, StepStatus status) {
        String text = type + "\n" + field.getText();
        if (text.equals(checkedText)) {
            return checkedPaste; // the step is tried again: the proof's nonce was used up by the first check
        }
        Pasted pasted;
        try {
            SignedDescription signed = provider.decodeSigned(field.getText(), type);
            IdentityService identity = client.identity();
            Optional<PublicIdentity> sender = signed.proof() == null || identity == null ? Optional.empty()
                    : Optional.of(identity.verify(signed.description(), signed.proof()));
            pasted = new Pasted(signed.description(), sender);
        } catch (SignalingException | IdentityException e) {
            status.error(e.getMessage());
            field.setFocus();
            return null;
        }
        checkedText = text;
        checkedPaste = pasted;
        return pasted;
    }

    /**
     * Creates a new session in a job (creating one can block), starts {@code negotiation} on it and
     * hands its result to {@code done} on the UI thread.
     */
    private void run(Button button, StepStatus status, String working,
            Function<PeerSession, CompletableFuture<SessionDescription>> negotiation,
            BiConsumer<PeerSession, SessionDescription> done) {
        button.setEnabled(false);
        status.busy(working);
        active = status;
        Consumer<String> failed = message -> Ui.async(root, () -> {
            button.setEnabled(true);
            status.error(message);
        });
        Ui.background(working, () -> {
            PeerSession session;
            try {
                session = client.newSession();
            } catch (SessionException e) {
                failed.accept(e.getMessage());
                return;
            }
            negotiation.apply(session).whenComplete((description, error) -> {
                if (error != null) {
                    failed.accept(Ui.message(error));
                } else {
                    Ui.async(root, () -> {
                        button.setEnabled(true);
                        if (session == client.session()) {
                            done.accept(session, description);
                        }
                    });
                }
            });
        });
    }

    /** The current session changed state before the chat opened; on the UI thread. */
    void stateChanged(ConnectionState state) {
        if (active == null) {
            return;
        }
        switch (state) {
            case CONNECTING -> {
                if (active == connectStatus) {
                    active.busy("Connecting...");
                }
            }
            case FAILED -> active.error("The connection failed: no network path between you and your peer was found. "
                    + "Start a new exchange (step 1 or 2) to try again.");
            case CLOSED -> active.error("The connection was closed. Start a new exchange to try again.");
            default -> {
                // CONNECTED switches to the chat; NEW and DISCONNECTED need no words here.
            }
        }
    }

    /** Back from a chat: everything is ready for a new exchange. */
    void reset() {
        offer = null;
        answer = null;
        checkedText = null;
        checkedPaste = null;
        offerSession = null;
        active = null;
        reencode();
        pastedOffer.setText("");
        pastedAnswer.setText("");
        offerStatus.info("");
        answerStatus.info("");
        connectStatus.info("");
    }
}
