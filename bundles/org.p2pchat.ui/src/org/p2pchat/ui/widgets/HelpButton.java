package org.p2pchat.ui.widgets;

import org.eclipse.jface.dialogs.PopupDialog;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.Rectangle;
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

    /**
     * Opens the popup under {@code anchor}; Escape or a click elsewhere closes it. Its colours are
     * the display's tooltip colours: JFace would take them from its colour registry, which only
     * the full workbench fills (in this E4 client they are missing and the popup failed to open).
     */
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
            protected Color getBackground() {
                return anchor.getDisplay().getSystemColor(SWT.COLOR_INFO_BACKGROUND);
            }

            @Override
            protected Color getForeground() {
                return anchor.getDisplay().getSystemColor(SWT.COLOR_INFO_FOREGROUND);
            }

            /** Under the button; a button near the window's right edge gets its popup to the left, inside the window. */
            @Override
            protected Point getDefaultLocation(Point initialSize) {
                Point under = anchor.toDisplay(0, anchor.getSize().y);
                Rectangle window = anchor.getShell().getBounds();
                if (under.x + initialSize.x > window.x + window.width) {
                    under.x = Math.max(window.x, anchor.toDisplay(anchor.getSize().x, 0).x - initialSize.x);
                }
                return under;
            }
        };
        popup.open();
        return popup;
    }
}
