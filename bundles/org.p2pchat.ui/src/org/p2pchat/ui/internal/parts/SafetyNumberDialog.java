package org.p2pchat.ui.internal.parts;

import org.eclipse.jface.dialogs.Dialog;
import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.jface.resource.JFaceResources;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.p2pchat.core.identity.PublicIdentity;

/**
 * The safety number of a conversation and what to do with it: read it to the peer over another
 * channel; the same number on both sides rules out a man in the middle. Does not block the
 * caller (the chat goes on behind it).
 */
final class SafetyNumberDialog extends Dialog {

    static final String NUMBER = "safety.number";
    static final String EXPLANATION = "safety.explanation";
    private static final int COPY = IDialogConstants.CLIENT_ID;

    private final String peerName;
    private final String number;
    private final PublicIdentity self;
    private final PublicIdentity peer;

    SafetyNumberDialog(Shell parent, String peerName, String number, PublicIdentity self, PublicIdentity peer) {
        super(parent);
        this.peerName = peerName;
        this.number = number;
        this.self = self;
        this.peer = peer;
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
        Label shown = Ui.tag(Ui.label(area, number, SWT.NONE), NUMBER);
        shown.setFont(JFaceResources.getFontRegistry().getBold(JFaceResources.TEXT_FONT));
        GridDataFactory.fillDefaults().align(SWT.CENTER, SWT.CENTER).indent(0, 6).applyTo(shown);
        Label explanation = Ui.tag(Ui.label(area, explanation(peerName), SWT.WRAP), EXPLANATION);
        GridDataFactory.fillDefaults().grab(true, false).hint(440, SWT.DEFAULT).applyTo(explanation);
        Label keys = Ui.label(area, "Your key:  " + self.fingerprint() + "\n" + peerName + "'s key:  " + peer.fingerprint(),
                SWT.NONE);
        keys.setForeground(Ui.MUTED);
        return area;
    }

    static String explanation(String peerName) {
        return "Read these numbers to " + peerName + " over another channel you trust: a phone call, in person, or a "
                + "messenger you already use. " + peerName + " sees a number in the same place.\n\n"
                + "The same number on both sides: nobody is in the middle of this connection.\n"
                + "A different number: someone may be intercepting it. Disconnect and do not share anything private.\n\n"
                + "The number covers this connection's encryption keys, so it changes with every connection: "
                + "compare it again after a reconnection.";
    }

    @Override
    protected void createButtonsForButtonBar(Composite parent) {
        createButton(parent, COPY, "Copy number", false);
        createButton(parent, IDialogConstants.CLOSE_ID, IDialogConstants.CLOSE_LABEL, true);
    }

    @Override
    protected void buttonPressed(int buttonId) {
        if (buttonId == COPY) {
            Ui.copyToClipboard(getShell(), number);
        } else {
            close();
        }
    }
}
