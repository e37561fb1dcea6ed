package org.p2pchat.ui.internal.parts;

import java.util.Optional;
import java.util.function.Supplier;

import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.p2pchat.core.identity.Contact;
import org.p2pchat.core.identity.PublicIdentity;
import org.p2pchat.ui.widgets.HelpButton;

/**
 * The chat's rows about who is on the other end: the verified key (or "unverified"), the button
 * for the safety number, and a loud banner when a known name comes with another key. What they
 * show comes from the client layer's checks ({@code PeerIdentified}, {@code SafetyNumber},
 * {@code ContactChecked}); nothing is checked here.
 */
final class PeerIdentityRows {

    private final Composite who;
    private final Label identityLine;
    private final Button safetyNumberButton;
    private final Composite keyChanged;
    private final Label keyChangedText;
    /** Our identity (for the dialog), or null while there is no client. */
    private final Supplier<PublicIdentity> self;
    private final Supplier<String> peerName;

    private boolean identified;
    private Optional<PublicIdentity> peer = Optional.empty();
    private String safetyNumber;

    PeerIdentityRows(Composite root, Supplier<PublicIdentity> self, Supplier<String> peerName) {
        this.self = self;
        this.peerName = peerName;
        who = new Composite(root, SWT.NONE);
        GridLayoutFactory.fillDefaults().numColumns(3).spacing(8, 0).applyTo(who);
        GridDataFactory.fillDefaults().grab(true, false).applyTo(who);
        identityLine = Ui.tag(Ui.label(who, "", SWT.WRAP), ChatView.IDENTITY);
        GridDataFactory.fillDefaults().grab(true, false).align(SWT.FILL, SWT.CENTER).hint(300, SWT.DEFAULT).applyTo(identityLine);
        safetyNumberButton = Ui.button(who, "Compare safety number\u2026", ChatView.SAFETY_NUMBER, this::showSafetyNumber);
        safetyNumberButton.setToolTipText("Rule out a man in the middle: compare a number with your peer over another channel");
        HelpButton.create(who, "Who is on the other end",
                "Our apps prove who they are: every offer and answer carries the sender's identity key and a "
                        + "signature over the connection's encryption fingerprints, so a description changed on the way "
                        + "is refused. \"Verified\" shows your peer's key fingerprint.\n\nTo be sure nobody sits in the "
                        + "middle (a changed key in transit cannot be noticed by the apps alone if the first exchange was "
                        + "already intercepted), compare the safety number with your peer over another channel.\n\n"
                        + "Peers are remembered by name with their key. If a name you know comes with a different key, a "
                        + "red warning says so: it may be someone else using that name, or your peer reinstalled the app."
                        + "\n\nThe web app proves no identity: its users are shown as unverified.");
        Ui.show(safetyNumberButton, false);

        keyChanged = Ui.tag(new Composite(root, SWT.NONE), ChatView.KEY_CHANGED);
        keyChanged.setBackground(Ui.ERROR);
        GridLayoutFactory.fillDefaults().numColumns(2).margins(10, 8).spacing(10, 0).applyTo(keyChanged);
        GridDataFactory.fillDefaults().grab(true, false).applyTo(keyChanged);
        keyChangedText = Ui.tag(Ui.label(keyChanged, "", SWT.WRAP), ChatView.KEY_CHANGED_TEXT);
        keyChangedText.setBackground(Ui.ERROR);
        keyChangedText.setForeground(Ui.ON_ERROR);
        keyChangedText.setFont(Ui.bold());
        GridDataFactory.fillDefaults().grab(true, false).align(SWT.FILL, SWT.CENTER).hint(300, SWT.DEFAULT).applyTo(keyChangedText);
        Ui.button(keyChanged, "Compare safety number\u2026", null, this::showSafetyNumber);
        Ui.show(keyChanged, false);
    }

    /** A new conversation: nothing is known about the peer yet. */
    void clear() {
        Ui.show(keyChanged, false);
        identified = false;
        peer = Optional.empty();
        safetyNumber = null;
        show();
    }

    /** What the peer's description proved. */
    void identified(Optional<PublicIdentity> identity) {
        identified = true;
        peer = identity;
        show();
    }

    void safetyNumber(String number) {
        safetyNumber = number;
        show();
    }

    private void show() {
        if (!identified) {
            identityLine.setText("");
        } else if (peer.isPresent()) {
            identityLine.setText("\u2714 Verified identity \u00b7 key " + peer.get().fingerprint());
            identityLine.setForeground(Ui.GOOD);
        } else {
            identityLine.setText("\u26a0 Unverified: your peer's app proves no identity (the web app does not). The "
                    + "connection is encrypted, but nothing shows who is on the other end.");
            identityLine.setForeground(Ui.WARNING);
        }
        identityLine.setToolTipText(peer.map(p -> "Your peer's identity key: " + p.key()).orElse(null));
        Ui.show(who, identified);
        Ui.show(safetyNumberButton, peer.isPresent() && safetyNumber != null && self.get() != null);
    }

    /**
     * Trust on first use, as the client layer found it; returns the sentence for the conversation,
     * or null.
     */
    String contact(String name, Contact.Status status, String text) {
        switch (status) {
            case NEW -> {
                return text.isBlank() ? name + " is a new contact: their key is remembered, so a change will be noticed."
                        : text;
            }
            case KNOWN -> {
                identityLine.setText(identityLine.getText() + " \u00b7 known contact");
                return null;
            }
            case CHANGED -> {
                String warning = text.isBlank() ? "Warning: " + name + "'s identity key has CHANGED since you last talked."
                        : text;
                keyChangedText.setText("\u26a0 " + warning);
                Ui.show(keyChanged, true);
                return warning;
            }
            default -> {
                return null;
            }
        }
    }

    /** The safety number of the conversation, or null if the peer is unverified or not connected yet. */
    String safetyNumberText() {
        return peer.isPresent() ? safetyNumber : null;
    }

    void showSafetyNumber() {
        String number = safetyNumberText();
        PublicIdentity us = self.get();
        if (number != null && us != null) {
            new SafetyNumberDialog(who.getShell(), peerName.get(), number, us, peer.get()).open();
        }
    }
}
