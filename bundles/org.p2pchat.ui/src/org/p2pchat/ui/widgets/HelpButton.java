package org.p2pchat.ui.widgets;

import org.eclipse.jface.dialogs.PopupDialog;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;

/**
 * A small "?" button that opens a popup explaining one section of the client, as the web app's
 * help buttons do. Every view uses it, so help looks and behaves the same everywhere.
 */
public final class HelpButton {

    private HelpButton() {
    }

    /**
     * Adds the button to {@code parent}.
     *
     * @param title heading of the popup
     * @param text  the explanation; paragraphs separated by blank lines
     */
    public static Button create(Composite parent, String title, String text) {
        Button button = new Button(parent, SWT.PUSH);
        button.setText("?");
        button.setToolTipText("Help: " + title);
        button.getAccessible().addAccessibleListener(new org.eclipse.swt.accessibility.AccessibleAdapter() {
            @Override
            public void getName(org.eclipse.swt.accessibility.AccessibleEvent e) {
                e.result = "Help: " + title;
            }
        });
        button.addListener(SWT.Selection, e -> open(button, title, text));
        return button;
    }

    /** Opens the popup under {@code anchor}; Escape or a click elsewhere closes it. */
    public static PopupDialog open(Control anchor, String title, String text) {
        PopupDialog popup = new PopupDialog(anchor.getShell(), PopupDialog.INFOPOPUP_SHELLSTYLE, true, false, false,
                false, false, title, "Press Esc to close") {
            @Override
            protected Control createDialogArea(Composite parent) {
                Composite area = (Composite) super.createDialogArea(parent);
                Label body = new Label(area, SWT.WRAP);
                body.setText(text);
                GridData data = new GridData(SWT.FILL, SWT.FILL, true, true);
                data.widthHint = 420;
                body.setLayoutData(data);
                return area;
            }

            @Override
            protected Point getDefaultLocation(Point initialSize) {
                return anchor.toDisplay(0, anchor.getSize().y);
            }
        };
        popup.open();
        return popup;
    }
}
