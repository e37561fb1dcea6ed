package org.p2pchat.ui.internal.parts;

import org.eclipse.jface.dialogs.Dialog;
import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.jface.resource.JFaceResources;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.p2pchat.client.core.Verification;
import org.p2pchat.core.identity.PublicIdentity;

/**
 * The safety number of a conversation and what to do with it: read it to the peer over another
 * channel; the same number on both sides rules out a man in the middle, and the person marks the
 * peer verified (or takes the mark back). Does not block the caller (the chat goes on behind it).
 */
final class SafetyNumberDialog extends Dialog {

    static final String NUMBER = "safety.number";
    static final String EXPLANATION = "safety.explanation";
    static final String STATE = "safety.state";
    static final String MARK = "safety.mark";
    private static final int COPY = IDialogConstants.CLIENT_ID;
    private static final int MARK_ID = IDialogConstants.CLIENT_ID + 1;

    private final String peerName;
    private final String number;
    private final PublicIdentity self;
    private final PublicIdentity peer;
    private final PeerIdentityRows rows;
    private Label state;
    private Button mark;

    SafetyNumberDialog(Shell parent, String peerName, String number, PublicIdentity self, PublicIdentity peer,
            PeerIdentityRows rows) {
        super(parent);
        this.peerName = peerName;
        this.number = number;
        this.self = self;
        this.peer = peer;
        this.rows = rows;
        setBlockOnOpen(false);
    }

    @Override
    protected void configureShell(Shell shell) {
        super.configureShell(shell);
        shell.setText("Compare safety number");
    }

    @Override
    protected boolean isResizable() {
        return true;
    }

    @Override
    protected Control createDialogArea(Composite parent) {
        Composite area = (Composite) super.createDialogArea(parent);
        GridLayoutFactory.swtDefaults().margins(16, 12).spacing(8, 10).applyTo(area);
        Ui.heading(area, "Your safety number with " + peerName);
        Label shown = Ui.tag(Ui.label(area, grouped(number), SWT.NONE), NUMBER);
        shown.setFont(JFaceResources.getFontRegistry().getBold(JFaceResources.TEXT_FONT));
        GridDataFactory.fillDefaults().align(SWT.CENTER, SWT.CENTER).indent(0, 6).applyTo(shown);
        state = Ui.tag(Ui.label(area, "", SWT.WRAP), STATE);
        GridDataFactory.fillDefaults().grab(true, false).hint(440, SWT.DEFAULT).applyTo(state);
        Label explanation = Ui.tag(Ui.label(area, explanation(peerName), SWT.WRAP), EXPLANATION);
        GridDataFactory.fillDefaults().grab(true, false).hint(440, SWT.DEFAULT).applyTo(explanation);
        Label keys = Ui.label(area, "Your key:  " + self.fingerprint() + "\n" + peerName + "'s key:  " + peer.fingerprint(),
                SWT.NONE);
        keys.setForeground(Ui.MUTED);
        return area;
    }

    /** The 60 digits in three lines of four groups, as people read them out. */
    static String grouped(String number) {
        String[] groups = number.split(" ");
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < groups.length; i++) {
            b.append(i == 0 ? "" : i % 4 == 0 ? "\n" : "   ").append(groups[i]);
        }
        return b.toString();
    }

    static String explanation(String peerName) {
        return "Read these numbers to " + peerName + " over another channel you trust: a phone call, in person, or a "
                + "messenger you already use. " + peerName + " sees the same number in the same place.\n\n"
                + "The same number on both sides: nobody is in the middle. Mark " + peerName + " as verified; the "
                + "mark is kept.\n"
                + "A different number: someone may be intercepting the chat. Disconnect and do not share anything "
                + "private.\n\n"
                + "The number depends only on your two identity keys: it stays the same for every connection, and "
                + "changes only if one of you gets a new key (then the mark is cleared and the chat warns you).";
    }

    @Override
    protected void createButtonsForButtonBar(Composite parent) {
        createButton(parent, COPY, "Copy number", false);
        // Made with the longer of its two labels, so either fits.
        mark = Ui.tag(createButton(parent, MARK_ID, "Clear verification", false), MARK);
        createButton(parent, IDialogConstants.CLOSE_ID, IDialogConstants.CLOSE_LABEL, true);
        showState();
    }

    /** The person's mark as the client layer has it now, and the button that changes it. */
    void showState() {
        if (state == null || state.isDisposed()) {
            return;
        }
        Verification now = rows.verification();
        switch (now) {
            case VERIFIED -> {
                state.setText("\u2714 Verified: you marked " + peerName + " as verified.");
                state.setForeground(Ui.GOOD);
            }
            case KEY_CHANGED -> {
                state.setText("\u26a0 Your safety number with " + peerName + " has changed: " + peerName
                        + " has a new identity key. Compare the new number before trusting this chat.");
                state.setForeground(Ui.ERROR);
            }
            default -> {
                state.setText("Not verified: you have not marked " + peerName + " as verified.");
                state.setForeground(Ui.MUTED);
            }
        }
        mark.setText(now == Verification.VERIFIED ? "Clear verification" : "Mark as verified");
        mark.getParent().layout(true);
        getShell().layout(true, true);
    }

    @Override
    protected void buttonPressed(int buttonId) {
        if (buttonId == COPY) {
            Ui.copyToClipboard(getShell(), number);
        } else if (buttonId == MARK_ID) {
            String problem = rows.mark(rows.verification() != Verification.VERIFIED);
            showState();
            if (problem != null) {
                state.setText(problem);
                state.setForeground(Ui.ERROR);
            }
        } else {
            close();
        }
    }
}
