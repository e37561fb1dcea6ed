package org.p2pchat.ui.internal.parts;

import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.ProgressBar;

/**
 * The line under a step: an indeterminate progress bar while it works, then what happened, an
 * error in red; nothing while there is nothing to say. The user can always try the step again.
 */
final class StepStatus {

    private final Composite box;
    private final ProgressBar bar;
    private final Label text;

    StepStatus(Composite parent, String id) {
        box = new Composite(parent, SWT.NONE);
        GridLayoutFactory.fillDefaults().numColumns(2).spacing(8, 0).applyTo(box);
        GridDataFactory.fillDefaults().grab(true, false).span(2, 1).applyTo(box);
        bar = new ProgressBar(box, SWT.INDETERMINATE | SWT.HORIZONTAL);
        GridDataFactory.fillDefaults().align(SWT.BEGINNING, SWT.CENTER).hint(90, SWT.DEFAULT).applyTo(bar);
        text = Ui.tag(new Label(box, SWT.WRAP), id);
        GridDataFactory.fillDefaults().grab(true, false).hint(100, SWT.DEFAULT).applyTo(text);
        text.setForeground(Ui.MUTED);
        Ui.show(bar, false);
        Ui.show(box, false);
    }

    void busy(String message) {
        set(message, true, false);
    }

    void info(String message) {
        set(message, false, false);
    }

    void error(String message) {
        set(message, false, true);
    }

    private void set(String message, boolean working, boolean error) {
        if (text.isDisposed()) {
            return;
        }
        Ui.show(bar, working);
        Ui.show(box, working || !message.isEmpty()); // an empty line takes no room
        text.setText(message);
        text.setForeground(error ? Ui.ERROR : Ui.MUTED);
        Ui.relayout(box);
    }
}
