package org.p2pchat.ui.internal.parts;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.p2pchat.core.identity.IdentityService;
import org.p2pchat.core.identity.PublicIdentity;
import org.p2pchat.core.signaling.IncomingRequest;
import org.p2pchat.core.text.ContactWarnings;

/**
 * Connection requests that came through a directory, one highlighted row each above whatever the
 * window shows: who asks, whether their identity is verified (and their key fingerprint), and
 * Accept / Reject. Hidden while there are none.
 */
final class RequestBar {

    static final String ID = "requests";
    static final String TEXT = "request.text";
    static final String IDENTITY = "request.identity";
    static final String ACCEPT = "request.accept";
    static final String REJECT = "request.reject";

    private final Composite root;
    private final Consumer<IncomingRequest> accept;
    private final Map<IncomingRequest, Composite> rows = new LinkedHashMap<>();

    RequestBar(Composite parent, Consumer<IncomingRequest> accept) {
        this.accept = accept;
        root = Ui.tag(new Composite(parent, SWT.NONE), ID);
        GridLayoutFactory.fillDefaults().spacing(0, 1).applyTo(root);
        GridDataFactory.fillDefaults().grab(true, false).applyTo(root);
        Ui.show(root, false);
    }

    /** Shows a request; {@code identity} (may be null) tells a known name with a new key. */
    void show(IncomingRequest request, IdentityService identity) {
        if (rows.containsKey(request)) {
            return;
        }
        String who = DirectoryPanel.displayName(request.from());
        Composite row = new Composite(root, SWT.NONE);
        row.setBackground(Ui.ATTENTION);
        row.setBackgroundMode(SWT.INHERIT_FORCE);
        GridLayoutFactory.fillDefaults().numColumns(3).margins(14, 10).spacing(10, 2).applyTo(row);
        GridDataFactory.fillDefaults().grab(true, false).applyTo(row);

        Label text = Ui.tag(Ui.label(row, who + (request.reconnect() ? " asks to connect again" : " asks to connect")
                + " through " + request.from().service().getHost() + ".", SWT.WRAP), TEXT);
        text.setFont(Ui.bold());
        GridDataFactory.fillDefaults().grab(true, false).align(SWT.FILL, SWT.CENTER).hint(300, SWT.DEFAULT).applyTo(text);
        Ui.button(row, "Accept", ACCEPT, () -> accept.accept(request)).setToolTipText("Connect and open the chat");
        Ui.button(row, "Reject", REJECT, () -> reject(request));

        Label identityText = Ui.tag(Ui.label(row, identityText(request, identity), SWT.WRAP), IDENTITY);
        identityText.setForeground(request.identity().isPresent() && warning(request, identity).isEmpty()
                ? Ui.GOOD : Ui.ERROR);
        GridDataFactory.fillDefaults().grab(true, false).span(3, 1).hint(300, SWT.DEFAULT).applyTo(identityText);

        rows.put(request, row);
        relayout();
    }

    static String identityText(IncomingRequest request, IdentityService identity) {
        Optional<String> warning = warning(request, identity);
        if (warning.isPresent()) {
            return "\u26a0 " + warning.get();
        }
        Optional<PublicIdentity> key = request.identity();
        if (key.isEmpty()) {
            return "\u26a0 Unverified: their app proves no identity (the web app does not).";
        }
        return "\u2714 Verified identity \u00b7 key " + key.get().fingerprint();
    }

    /**
     * What to say about a request under the name of a contact that does not prove that contact's
     * key (nothing is remembered here; the chat does that).
     */
    private static Optional<String> warning(IncomingRequest request, IdentityService identity) {
        return identity == null ? Optional.empty()
                : ContactWarnings.forRequest(request.from().name(), request.identity(), identity.contacts());
    }

    private void reject(IncomingRequest request) {
        remove(request);
        Ui.background("Declining " + DirectoryPanel.displayName(request.from()), request::reject);
    }

    void remove(IncomingRequest request) {
        Composite row = rows.remove(request);
        if (row != null) {
            row.dispose();
            relayout();
        }
    }

    void clear() {
        rows.values().forEach(Composite::dispose);
        rows.clear();
        relayout();
    }

    int size() {
        return rows.size();
    }

    private void relayout() {
        if (root.isDisposed()) {
            return;
        }
        Ui.show(root, !rows.isEmpty());
        root.getParent().layout(true, true);
    }
}
