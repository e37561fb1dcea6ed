package org.p2pchat.ui.internal.parts;

import java.util.Optional;
import java.util.function.Supplier;

import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.p2pchat.client.core.Conversation;
import org.p2pchat.client.core.Verification;
import org.p2pchat.core.identity.Contact;
import org.p2pchat.core.identity.PublicIdentity;
import org.p2pchat.ui.widgets.HelpButton;

/**
 * The chat's rows about who is on the other end: the peer's key and whether the person verified
 * it (not verified, verified, key changed; or "unverified" for the web app), the button for the
 * safety number, and a loud banner when a known name comes with another key. What they show comes
 * from the client layer ({@code PeerIdentified}, {@code SafetyNumber}, {@code ContactChecked},
 * {@code VerificationChanged}); nothing is checked here.
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
    /** The live conversation shown, or null: where the person's mark goes. */
    private final Supplier<Conversation> conversation;

    private boolean identified;
    private Optional<PublicIdentity> peer = Optional.empty();
    private String safetyNumber;
    private Verification verification = Verification.NOT_VERIFIED;
    private boolean knownContact;
    /** The safety number dialog while it is open. */
    private SafetyNumberDialog dialog;

    PeerIdentityRows(Composite root, Supplier<PublicIdentity> self, Supplier<String> peerName,
            Supplier<Conversation> conversation) {
        this.self = self;
        this.peerName = peerName;
        this.conversation = conversation;
        who = new Composite(root, SWT.NONE);
        GridLayoutFactory.fillDefaults().numColumns(3).spacing(8, 0).applyTo(who);
        GridDataFactory.fillDefaults().grab(true, false).applyTo(who);
        identityLine = Ui.tag(Ui.label(who, "", SWT.WRAP), ChatView.IDENTITY);
        GridDataFactory.fillDefaults().grab(true, false).align(SWT.FILL, SWT.CENTER).hint(300, SWT.DEFAULT).applyTo(identityLine);
        safetyNumberButton = Ui.button(who, "Compare safety number\u2026", ChatView.SAFETY_NUMBER, this::showSafetyNumber);
        safetyNumberButton.setToolTipText("Rule out a man in the middle: compare a number with your peer over another channel");
        HelpButton.create(who, "Who is on the other end",
                "Our apps sign every offer and answer with the sender's identity key (over the connection's "
                        + "encryption fingerprints), so a description changed on the way is refused and the connection "
                        + "belongs to that key. Who holds the key is another matter: a stranger's key is \"Not "
                        + "verified\".\n\nTo verify it, compare the safety number with your peer over another channel "
                        + "(a call, in person) and mark them verified. The number depends only on your two keys: it stays "
                        + "the same for every connection. The mark is kept.\n\n"
                        + "Peers are remembered by name with their key. If a name you know comes with a different key, a "
                        + "red warning says so and any mark is cleared: it may be someone else using that name, or your "
                        + "peer reinstalled the app.\n\nThe web app proves no identity: its users are shown as unverified.");
        Ui.show(safetyNumberButton, false);

        keyChanged = Ui.tag(new Composite(root, SWT.NONE), ChatView.KEY_CHANGED);
        keyChanged.setBackground(Ui.ERROR);
        GridLayoutFactory.fillDefaults().numColumns(3).margins(10, 8).spacing(10, 0).applyTo(keyChanged);
        GridDataFactory.fillDefaults().grab(true, false).applyTo(keyChanged);
        keyChangedText = Ui.tag(Ui.label(keyChanged, "", SWT.WRAP), ChatView.KEY_CHANGED_TEXT);
        keyChangedText.setBackground(Ui.ERROR);
        keyChangedText.setForeground(Ui.ON_ERROR);
        keyChangedText.setFont(Ui.bold());
        GridDataFactory.fillDefaults().grab(true, false).align(SWT.FILL, SWT.CENTER).hint(300, SWT.DEFAULT).applyTo(keyChangedText);
        Ui.button(keyChanged, "Compare safety number\u2026", null, this::showSafetyNumber);
        Ui.button(keyChanged, "Accept new key", ChatView.KEY_CHANGED_ACCEPT, () -> mark(false))
                .setToolTipText("Continue with the new key, not verified (compare the safety number to verify it)");
        Ui.show(keyChanged, false);
    }

    /** A new conversation: nothing is known about the peer yet. */
    void clear() {
        Ui.show(keyChanged, false);
        keyChangedText.setText("");
        identified = false;
        peer = Optional.empty();
        safetyNumber = null;
        verification = Verification.NOT_VERIFIED;
        knownContact = false;
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

    /** Whether the person verified the peer's key, as the client layer says. */
    void verification(Verification now) {
        verification = now;
        Conversation c = conversation.get();
        if (c != null && safetyNumber == null) {
            safetyNumber = c.safetyNumber().orElse(null);
        }
        if (now == Verification.KEY_CHANGED && keyChangedText.getText().isEmpty()) {
            keyChangedText.setText("\u26a0 Your safety number with " + peerName.get() + " has changed.");
        }
        Ui.show(keyChanged, now == Verification.KEY_CHANGED);
        show();
        if (dialog != null) {
            dialog.showState();
        }
    }

    Verification verification() {
        return verification;
    }

    /**
     * The person marked the key verified after comparing, took the mark back, or accepted a changed
     * key; returns why not, or null.
     */
    String mark(boolean verified) {
        Conversation c = conversation.get();
        if (c == null || peer.isEmpty()) {
            return "This conversation is not going on: connect again to verify.";
        }
        try {
            c.markVerified(verified); // reported as VerificationChanged too
        } catch (IllegalStateException | IllegalArgumentException e) {
            return e.getMessage();
        }
        verification(c.verification());
        return null;
    }

    private void show() {
        if (!identified) {
            identityLine.setText("");
        } else if (peer.isPresent()) {
            String key = " \u00b7 key " + peer.get().fingerprint() + (knownContact ? " \u00b7 known contact" : "");
            switch (verification) {
                case VERIFIED -> {
                    identityLine.setText("\u2714 Verified" + key);
                    identityLine.setForeground(Ui.GOOD);
                }
                case KEY_CHANGED -> {
                    identityLine.setText("\u26a0 Key changed" + key);
                    identityLine.setForeground(Ui.ERROR);
                }
                default -> {
                    identityLine.setText("Not verified" + key);
                    identityLine.setForeground(Ui.MUTED);
                }
            }
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
                knownContact = true;
                show();
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
            if (dialog != null && dialog.getShell() != null && !dialog.getShell().isDisposed()) {
                dialog.getShell().setActive();
                return;
            }
            dialog = new SafetyNumberDialog(who.getShell(), peerName.get(), number, us, peer.get(), this);
            dialog.open();
            dialog.getShell().addDisposeListener(e -> dialog = null);
        }
    }
}
