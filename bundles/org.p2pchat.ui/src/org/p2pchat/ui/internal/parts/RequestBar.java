package org.p2pchat.ui.internal.parts;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.p2pchat.client.core.Request;
import org.p2pchat.client.core.Verification;
import org.p2pchat.core.identity.PublicIdentity;

/**
 * Connection requests that came through a connection method, one highlighted row each above whatever the
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
    private final Consumer<Request> accept;
    private final Map<Request, Composite> rows = new LinkedHashMap<>();

    private final Consumer<Request> reject;
    /** Whether the person marked a key verified (in an earlier conversation). */
    private final Function<PublicIdentity, Verification> marks;

    RequestBar(Composite parent, Consumer<Request> accept, Consumer<Request> reject,
            Function<PublicIdentity, Verification> marks) {
        this.accept = accept;
        this.reject = reject;
        this.marks = marks;
        root = Ui.tag(new Composite(parent, SWT.NONE), ID);
        GridLayoutFactory.fillDefaults().spacing(0, 1).applyTo(root);
        GridDataFactory.fillDefaults().grab(true, false).applyTo(root);
        Ui.show(root, false);
    }

    /** Shows a request, with the client layer's warning (a known name with a new key, say) if it has one. */
    void show(Request request) {
        if (rows.containsKey(request)) {
            return;
        }
        String who = PeerListPanel.displayName(request.from());
        Composite row = new Composite(root, SWT.NONE);
        row.setBackground(Ui.ATTENTION);
        row.setBackgroundMode(SWT.INHERIT_FORCE);
        GridLayoutFactory.fillDefaults().numColumns(3).margins(14, 10).spacing(10, 2).applyTo(row);
        GridDataFactory.fillDefaults().grab(true, false).applyTo(row);

        Label text = Ui.tag(Ui.label(row, who + (request.reconnect() ? " asks to connect again" : " asks to connect")
                + " through " + request.from().scope() + ".", SWT.WRAP), TEXT);
        text.setFont(Ui.bold());
        GridDataFactory.fillDefaults().grab(true, false).align(SWT.FILL, SWT.CENTER).hint(300, SWT.DEFAULT).applyTo(text);
        Ui.button(row, "Accept", ACCEPT, () -> accept.accept(request)).setToolTipText("Connect and open the chat");
        Ui.button(row, "Reject", REJECT, () -> reject(request));

        Verification marked = request.identity().map(marks).orElse(Verification.UNSIGNED);
        Label identityText = Ui.tag(Ui.label(row, identityText(request, marked), SWT.WRAP), IDENTITY);
        identityText.setForeground(request.identity().isEmpty() || request.warning().isPresent() ? Ui.ERROR
                : marked == Verification.VERIFIED ? Ui.GOOD : Ui.MUTED);
        GridDataFactory.fillDefaults().grab(true, false).span(3, 1).hint(300, SWT.DEFAULT).applyTo(identityText);

        rows.put(request, row);
        relayout();
    }

    /** Who asks, as the request's identity line says it. */
    String identityText(Request request) {
        return identityText(request, request.identity().map(marks).orElse(Verification.UNSIGNED));
    }

    static String identityText(Request request, Verification marked) {
        Optional<String> warning = request.warning();
        if (warning.isPresent()) {
            return "\u26a0 " + warning.get();
        }
        Optional<PublicIdentity> key = request.identity();
        if (key.isEmpty()) {
            return "\u26a0 Unverified: their app proves no identity (the web app does not).";
        }
        // Signed: the request belongs to that key. Who holds it the person verified by comparing the safety number.
        return (marked == Verification.VERIFIED ? "\u2714 Verified" : "Not verified") + " \u00b7 key "
                + key.get().fingerprint();
    }

    private void reject(Request request) {
        remove(request);
        reject.accept(request);
    }

    void remove(Request request) {
        Composite row = rows.remove(request);
        if (row != null) {
            row.dispose();
            relayout();
        }
    }

    /** Takes away the requests that came through method {@code methodId}. */
    void removeFrom(String methodId) {
        List.copyOf(rows.keySet()).stream().filter(r -> r.from().provider().equals(methodId)).forEach(this::remove);
    }

    boolean isDisposed() {
        return root.isDisposed();
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
