package org.p2pchat.ui.internal.parts;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.jface.resource.JFaceResources;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.layout.RowLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Text;
import org.p2pchat.client.core.PasteExchange;
import org.p2pchat.core.ConnectionState;
import org.p2pchat.core.SessionDescription;
import org.p2pchat.core.identity.PublicIdentity;
import org.p2pchat.core.signaling.PasteCodec;
import org.p2pchat.core.signaling.SignalingException;
import org.p2pchat.ui.widgets.HelpButton;

/**
 * The three steps of a copy-and-paste exchange: create an offer, or answer a pasted one, and
 * paste the answer. Negotiation runs on transport threads and in jobs; results come back on the
 * UI thread. Errors appear next to their step and the step can be tried again.
 * <p>
 * The exchange is the client layer's {@link PasteExchange}: every offer and answer shown carries
 * our identity proof, and a pasted one is checked there (a proof that does not hold is refused,
 * no proof, the web app's, is accepted and the peer shown as unverified); this panel only shows.
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

    private final ClientPart client;
    /** Lays the page out again after a field appeared or disappeared. */
    private final Runnable relayout;
    private final Composite root;
    /** Step 2, beside steps 1 and 3 when there is room. */
    private final Composite answering;
    /** Step 3, below step 1. */
    private final Composite pasting;
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

    /** The exchange under way; null before the first step. */
    private PasteExchange exchange;
    /** Whether {@link #exchange} made an offer (step 3 completes it) rather than an answer. */
    private boolean offered;
    /** Our offer and answer as shown. */
    private String offer;
    private String answer;
    /** Where state changes of the conversation are reported, and what it says. */
    private StepStatus active;
    private String activeMessage = "";
    /** What the peer's description proved, once the client layer checked it: a sentence before the step's. */
    private String identityNote = "";

    ManualExchangePanel(Composite parent, ClientPart client, Runnable relayout) {
        this.client = client;
        this.relayout = relayout;
        root = new Composite(parent, SWT.NONE);
        GridLayoutFactory.fillDefaults().numColumns(2).equalWidth(true).spacing(16, 10).applyTo(root);
        GridDataFactory.fillDefaults().grab(true, true).applyTo(root);

        // Side by side: making an offer (steps 1 and 3) on the left, answering one (step 2) on the right.
        Composite offering = step(root, "1. Create an offer", "Create an offer",
                "Click \"Create an offer\". Send the text that appears to your peer through any channel you trust "
                        + "(a messenger, e-mail, a note). Then wait for their answer and paste it in step 3.\n\n"
                        + "\"Compact\" is a short code for P2P Chat apps; choose \"Web app JSON\" if your peer uses "
                        + "the P2P Chat web app.");
        Composite actions = new Composite(offering, SWT.NONE); // the form goes below the button when narrow
        RowLayout wrapping = new RowLayout(SWT.HORIZONTAL);
        wrapping.center = true;
        wrapping.marginWidth = wrapping.marginHeight = wrapping.marginLeft = wrapping.marginRight = 0;
        wrapping.marginTop = wrapping.marginBottom = 0;
        wrapping.spacing = 12;
        actions.setLayout(wrapping);
        GridDataFactory.fillDefaults().grab(true, false).span(2, 1).applyTo(actions);
        createOffer = Ui.button(actions, "Create offer", CREATE_OFFER, this::createOffer);
        Composite formChoice = new Composite(actions, SWT.NONE);
        GridLayoutFactory.fillDefaults().numColumns(2).spacing(8, 0).applyTo(formChoice);
        Ui.label(formChoice, "Form:", SWT.NONE);
        form = Ui.tag(new Combo(formChoice, SWT.READ_ONLY), FORM);
        form.setItems("Compact", "Web app JSON");
        form.select(0);
        form.setToolTipText("Compact: for P2P Chat apps. Web app JSON: for the P2P Chat web app.");
        form.addListener(SWT.Selection, e -> reencode());
        offerText = descriptionField(offering, OFFER_TEXT, true);
        offerCopy = copyButton(offering, offerText);
        offerStatus = new StepStatus(offering, STATUS_OFFER);

        answering = step(root, "2. Or answer an offer", "Answer an offer",
                "If your peer sent you an offer, paste it here and click \"Create answer\". Send the answer "
                        + "back to your peer; you are connected as soon as they paste it.");
        GridDataFactory.createFrom((GridData) answering.getLayoutData()).span(1, 2).applyTo(answering);
        pastedOffer = pasteField(answering, PASTED_OFFER, "Paste your peer's offer here");
        createAnswer = sideButton(Ui.button(answering, "Create answer", CREATE_ANSWER, this::createAnswer));
        answerText = descriptionField(answering, ANSWER_TEXT, true);
        answerCopy = copyButton(answering, answerText);
        answerStatus = new StepStatus(answering, STATUS_ANSWER);

        pasting = step(root, "3. Paste the answer", "Paste the answer",
                "After you sent an offer (step 1), your peer answers with a text of their own. Paste it here and "
                        + "click \"Connect\".");
        pastedAnswer = pasteField(pasting, PASTED_ANSWER, "Paste your peer's answer here");
        connect = sideButton(Ui.button(pasting, "Connect", CONNECT, this::connect));
        connectStatus = new StepStatus(pasting, STATUS_CONNECT);
    }

    Composite control() {
        return root;
    }

    /**
     * Two columns when {@code width} (what the panel gets) holds two steps side by side, else the
     * steps one below the other in their order.
     */
    void columns(int width) {
        GridLayout layout = (GridLayout) root.getLayout();
        int step = Math.max(answering.computeSize(SWT.DEFAULT, SWT.DEFAULT).x, pasting.computeSize(SWT.DEFAULT, SWT.DEFAULT).x);
        boolean two = (width - layout.horizontalSpacing) / 2 >= step;
        if (layout.numColumns != (two ? 2 : 1)) {
            layout.numColumns = two ? 2 : 1;
            GridDataFactory.createFrom((GridData) answering.getLayoutData()).span(1, two ? 2 : 1).applyTo(answering);
        }
    }

    /** A step: its heading with help, over a field and the button beside it. */
    private static Composite step(Composite parent, String title, String helpTitle, String help) {
        Composite step = new Composite(parent, SWT.NONE);
        GridLayoutFactory.fillDefaults().numColumns(2).spacing(8, 4).applyTo(step);
        GridDataFactory.fillDefaults().grab(true, false).align(SWT.FILL, SWT.BEGINNING).applyTo(step);
        Composite line = row(step);
        Ui.heading(line, title);
        HelpButton.create(line, helpTitle, help);
        return step;
    }

    private static Composite row(Composite parent) {
        Composite row = new Composite(parent, SWT.NONE);
        GridLayoutFactory.fillDefaults().numColumns(4).spacing(8, 0).applyTo(row);
        GridDataFactory.fillDefaults().grab(true, false).span(2, 1).applyTo(row);
        return row;
    }

    /**
     * A description's field, small: a description is copied or pasted whole, not read. Ours shows
     * two lines (the Copy button beside it takes all of it); a paste field three, with a scroll
     * bar (GTK cannot fit a scroll bar into two).
     */
    private static Text descriptionField(Composite parent, String id, boolean readOnly) {
        Text field = Ui.tag(new Text(parent, SWT.MULTI | SWT.WRAP | SWT.BORDER
                | (readOnly ? SWT.READ_ONLY : SWT.V_SCROLL)), id);
        field.setFont(JFaceResources.getTextFont());
        int lines = readOnly ? 2 : 3;
        GridDataFactory.fillDefaults().grab(true, false).hint(120, lines * field.getLineHeight() + 6).applyTo(field);
        return field;
    }

    private static Text pasteField(Composite parent, String id, String hint) {
        Text field = descriptionField(parent, id, false);
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

    /** Shows {@code text} in an output field, or hides the field when it is null. */
    private void output(Text field, Button copy, String text) {
        field.setText(text == null ? "" : text);
        Ui.show(field, text != null);
        Ui.show(copy, text != null);
        relayout.run();
    }

    private void copy(Text field) {
        if (!field.getText().isEmpty()) {
            Ui.copyToClipboard(field, field.getText());
        }
    }

    private PasteCodec.Form form() {
        return form.getSelectionIndex() == 1 ? PasteCodec.Form.BROWSER_JSON : PasteCodec.Form.COMPACT;
    }

    /** The offer in the form chosen now (the answer keeps the form its peer reads). */
    private void reencode() {
        if (exchange == null || !offered || offer == null) {
            return;
        }
        PasteExchange current = exchange;
        current.createOffer(form()).whenComplete((text, error) -> Ui.async(root, () -> {
            if (error == null && current == exchange) {
                offer = text;
                output(offerText, offerCopy, offer);
            }
        }));
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

    private void createOffer() {
        clearOutputs();
        PasteExchange started = client.paste(offerStatus);
        if (started == null) {
            return;
        }
        begin(started, true, offerStatus);
        run(createOffer, offerStatus, "Creating the offer: gathering network addresses...", started.createOffer(form()),
                text -> {
                    offer = text;
                    output(offerText, offerCopy, offer);
                    say(offerStatus, "Send this offer to your peer, then paste their answer in step 3.", false);
                    pastedAnswer.setFocus();
                });
    }

    private void createAnswer() {
        if (pastedOffer.getText().isBlank()) {
            answerStatus.error("Paste your peer's offer first.");
            pastedOffer.setFocus();
            return;
        }
        clearOutputs();
        PasteExchange started = client.paste(answerStatus);
        if (started == null || !readable(started, pastedOffer, SessionDescription.Type.OFFER, answerStatus)) {
            return;
        }
        begin(started, false, answerStatus);
        run(createAnswer, answerStatus, "Creating the answer...", started.acceptOffer(pastedOffer.getText(), form()),
                text -> {
                    answer = text;
                    output(answerText, answerCopy, answer);
                    say(answerStatus, "Send this answer to your peer. Waiting for them to connect...", true);
                });
    }

    private void clearOutputs() {
        offer = null;
        answer = null;
        output(offerText, offerCopy, null);
        output(answerText, answerCopy, null);
    }

    private void begin(PasteExchange started, boolean offering, StepStatus status) {
        exchange = started;
        offered = offering;
        identityNote = "";
        active = status;
    }

    private void connect() {
        PasteExchange current = exchange;
        if (current == null || !offered || offer == null) {
            connectStatus.error("Create an offer first (step 1), send it to your peer and paste their answer here.");
            return;
        }
        if (pastedAnswer.getText().isBlank()) {
            connectStatus.error("Paste your peer's answer first.");
            pastedAnswer.setFocus();
            return;
        }
        if (!readable(current, pastedAnswer, SessionDescription.Type.ANSWER, connectStatus)) {
            return;
        }
        active = connectStatus;
        run(connect, connectStatus, "Connecting...", current.acceptAnswer(pastedAnswer.getText()),
                ok -> say(connectStatus, "Connecting...", true));
    }

    /** Whether the paste in {@code field} reads as a description of {@code type}; says what is wrong if not. */
    private static boolean readable(PasteExchange exchange, Text field, SessionDescription.Type type, StepStatus status) {
        try {
            exchange.check(field.getText(), type);
            return true;
        } catch (SignalingException e) {
            status.error(e.getMessage());
            field.setFocus();
            return false;
        }
    }

    /**
     * Runs a step: {@code button} waits while it works, and the step's outcome comes back on the UI
     * thread: {@code done} with its result, or the reason it failed next to the step (which can be
     * tried again: a refused paste leaves the exchange usable).
     */
    private <T> void run(Button button, StepStatus status, String working, CompletableFuture<T> step, Consumer<T> done) {
        button.setEnabled(false);
        say(status, working, true);
        PasteExchange current = exchange;
        step.whenComplete((result, error) -> Ui.async(root, () -> {
            button.setEnabled(true);
            if (current != exchange) {
                return; // another exchange started meanwhile
            }
            if (error != null) {
                status.error(Ui.message(error));
            } else {
                done.accept(result);
            }
        }));
    }

    /** Shows a step's message after what the peer's description proved, once known. */
    private void say(StepStatus status, String message, boolean busy) {
        active = status;
        activeMessage = message;
        if (busy) {
            status.busy(identityNote + message);
        } else {
            status.info(identityNote + message);
        }
    }

    /** What the peer's description proved, from the client layer's check. */
    void identified(Optional<PublicIdentity> peer) {
        identityNote = peer.map(key -> "Signed by key " + key.fingerprint() + " (not verified until you compare the safety number). ")
                .orElse("Unverified: your peer's app proves no identity (the web app does not). ");
        if (active != null && !activeMessage.isEmpty()) {
            say(active, activeMessage, true);
        }
    }

    /** The conversation changed state before the chat opened; on the UI thread. */
    void stateChanged(ConnectionState state) {
        if (active == null) {
            return;
        }
        switch (state) {
            case CONNECTING -> {
                if (active == connectStatus) {
                    say(active, "Connecting...", true);
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
        exchange = null;
        offered = false;
        active = null;
        activeMessage = "";
        identityNote = "";
        clearOutputs();
        pastedOffer.setText("");
        pastedAnswer.setText("");
        offerStatus.info("");
        answerStatus.info("");
        connectStatus.info("");
    }
}
