package org.p2pchat.ui.internal.parts;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.BiConsumer;

import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.resource.JFaceResources;
import org.eclipse.swt.SWT;
import org.eclipse.swt.SWTException;
import org.eclipse.swt.dnd.Clipboard;
import org.eclipse.swt.dnd.TextTransfer;
import org.eclipse.swt.dnd.Transfer;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.Font;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Widget;

/**
 * Small helpers every view of the client uses: widget ids for tests, running work off the UI
 * thread and coming back, fonts and colours.
 */
public final class Ui {

    /** Widget data key holding a stable id; tests find controls by it. */
    public static final String ID = "org.p2pchat.ui.id";

    static final Color ERROR = new Color(0xc0, 0x1c, 0x28);
    static final Color MUTED = new Color(0x6b, 0x6b, 0x6b);
    static final Color OWN = new Color(0x1a, 0x5f, 0xb4);
    static final Color PEER = new Color(0x26, 0x80, 0x4a);
    static final Color GOOD = new Color(0x26, 0x80, 0x4a);
    static final Color WARNING = new Color(0x9c, 0x5d, 0x00);
    /** Behind something that needs an answer (an incoming request). */
    static final Color ATTENTION = new Color(0xfd, 0xf1, 0xc4);
    static final Color ON_ERROR = new Color(0xff, 0xff, 0xff);

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneId.systemDefault());

    private Ui() {
    }

    static <T extends Widget> T tag(T widget, String id) {
        widget.setData(ID, id);
        return widget;
    }

    /** Runs {@code action} on the UI thread later, unless {@code owner} is gone by then. */
    static void async(Control owner, Runnable action) {
        if (owner == null || owner.isDisposed()) {
            return;
        }
        try {
            owner.getDisplay().asyncExec(() -> {
                if (!owner.isDisposed()) {
                    action.run();
                }
            });
        } catch (SWTException e) {
            // the window went away meanwhile: nobody to show it to
        }
    }

    /** Runs blocking work in an Eclipse job, named for the window's progress area. */
    static void background(String name, Runnable work) {
        Job.create(name, monitor -> {
            work.run();
            return Status.OK_STATUS;
        }).schedule();
    }

    /**
     * Waits for {@code future} in a job named for the progress area (the work itself runs
     * elsewhere) and hands its outcome to {@code done} on the UI thread: a result, or the error.
     */
    static <T> void follow(String name, Control owner, CompletableFuture<T> future, BiConsumer<T, Throwable> done) {
        background(name, () -> {
            T result = null;
            Throwable error = null;
            try {
                result = future.join();
            } catch (CompletionException | CancellationException e) {
                error = e;
            }
            T shownResult = result;
            Throwable shownError = error;
            async(owner, () -> done.accept(shownResult, shownError));
        });
    }

    static Label label(Composite parent, String text, int style) {
        Label label = new Label(parent, style);
        label.setText(text);
        return label;
    }

    static Label heading(Composite parent, String text) {
        Label label = label(parent, text, SWT.NONE);
        label.setFont(bold());
        return label;
    }

    static Button button(Composite parent, String text, String id, Runnable action) {
        Button button = tag(new Button(parent, SWT.PUSH), id);
        button.setText(text);
        button.addListener(SWT.Selection, e -> action.run());
        return button;
    }

    /** Data key of a page's {@code Runnable} that lays it out again, scroll range included. */
    static final String RELAYOUT = "org.p2pchat.ui.relayout";

    /**
     * Lays out again what holds {@code changed}, which grew or shrank: the page around it (so a
     * scrolled page's range follows), or else its parent.
     */
    static void relayout(Control changed) {
        for (Control c = changed.getParent(); c != null; c = c.getParent()) {
            if (c.getData(RELAYOUT) instanceof Runnable pageLayout) {
                pageLayout.run();
                return;
            }
        }
        changed.getParent().layout(true, true);
    }

    static void show(Control control, boolean visible) {
        control.setVisible(visible);
        GridDataFactory.createFrom(gridData(control)).exclude(!visible).applyTo(control);
    }

    private static GridData gridData(Control control) {
        return control.getLayoutData() instanceof GridData data ? data
                : new GridData();
    }

    static Font bold() {
        return JFaceResources.getFontRegistry().getBold(JFaceResources.DEFAULT_FONT);
    }

    static Font italic() {
        return JFaceResources.getFontRegistry().getItalic(JFaceResources.DEFAULT_FONT);
    }

    static void copyToClipboard(Control control, String text) {
        Clipboard clipboard = new Clipboard(control.getDisplay());
        try {
            clipboard.setContents(new Object[] { text }, new Transfer[] { TextTransfer.getInstance() });
        } finally {
            clipboard.dispose();
        }
    }

    static String clock(long epochMillis) {
        return CLOCK.format(Instant.ofEpochMilli(epochMillis));
    }

    /** What went wrong, in the words of the innermost useful exception. */
    static String message(Throwable error) {
        Throwable t = error;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null || t.getMessage().isBlank() ? t.getClass().getSimpleName() : t.getMessage();
    }
}
