package org.p2pchat.ui.internal.parts;

import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.ToolTip;
import org.eclipse.swt.widgets.Tray;
import org.eclipse.swt.widgets.TrayItem;

/**
 * Tells the user about messages and connection requests that arrive while the window is not
 * focused, or in a conversation that is not in front, without stealing focus: the title, "P2P
 * Chat — profile" (windows of several profiles side by side are told apart), becomes "P2P Chat —
 * profile (n)" (n: what arrived while the window was not active, or the unread messages of every
 * conversation if more) until they are read, and a balloon that hides by itself shows what arrived
 * (on the tray icon if there is a system tray).
 */
final class Notifier {

    static final String TITLE = "P2P Chat";

    private final Shell shell;
    private final ToolTip balloon;
    private TrayItem trayItem;
    private int unread;
    /** The profile's name in the title; empty for none. */
    private String profile = "";
    /** The unread messages of every conversation of the list. */
    private int conversationsUnread;
    /** Where a balloon in the active window points; null: the window's corner. */
    private org.eclipse.swt.graphics.Point pointAt;
    /** What the last balloon said ("title: text"), or null. */
    private String lastAlert;

    Notifier(Shell shell) {
        this.shell = shell;
        balloon = new ToolTip(shell, SWT.BALLOON | SWT.ICON_INFORMATION);
        balloon.setAutoHide(true);
        shell.addListener(SWT.Activate, e -> markRead());
    }

    /**
     * A message arrived; says so if the window is not the active one, or if {@code elsewhere} (its
     * conversation is not the one in front).
     */
    void messageArrived(String sender, String content, boolean elsewhere) {
        messageArrived(sender, content, elsewhere, null);
    }

    /** As {@link #messageArrived(String, String, boolean)}; a balloon in the window points at {@code at} (display coordinates) if given. */
    void messageArrived(String sender, String content, boolean elsewhere, org.eclipse.swt.graphics.Point at) {
        pointAt = at;
        alert(sender, content, elsewhere);
    }

    /** Someone asks to connect through a directory; says so if the window is not the active one. */
    void requestArrived(String title, String detail) {
        alert(title, detail, false);
    }

    /** The profile's name, for the title; empty for none. */
    void profile(String name) {
        profile = name == null ? "" : name;
        showTitle();
        if (trayItem != null) {
            trayItem.setToolTipText(title(0));
        }
    }

    /** The unread messages of every conversation changed. */
    void conversationsUnread(int count) {
        conversationsUnread = count;
        showTitle();
    }

    private boolean isActive() {
        return shell.getDisplay().getActiveShell() == shell && !shell.getMinimized();
    }

    private void alert(String title, String text, boolean elsewhere) {
        if (shell.isDisposed() || (!elsewhere && isActive())) {
            return;
        }
        if (!isActive()) {
            unread++;
        }
        showTitle();
        lastAlert = title + ": " + text;
        if (isActive()) { // a conversation behind the one in front: said in the window's corner, no tray
            balloon.setText(title);
            balloon.setMessage(text.length() > 140 ? text.substring(0, 140) + "..." : text);
            var area = shell.getBounds();
            balloon.setLocation(pointAt != null ? pointAt
                    : new org.eclipse.swt.graphics.Point(area.x + area.width - 40, area.y + area.height - 40));
            balloon.setVisible(true);
            return;
        }
        balloon.setText(title);
        balloon.setMessage(text.length() > 140 ? text.substring(0, 140) + "..." : text);
        Tray tray = shell.getDisplay().getSystemTray();
        if (tray != null) {
            if (trayItem == null) {
                trayItem = new TrayItem(tray, SWT.NONE);
                trayItem.setImage(shell.getDisplay().getSystemImage(SWT.ICON_INFORMATION));
                trayItem.setToolTipText(title(0));
                trayItem.addListener(SWT.Selection, e -> shell.forceActive());
            }
            trayItem.setToolTip(balloon);
        } else {
            var area = shell.getBounds();
            balloon.setLocation(area.x + area.width - 40, area.y + area.height - 40);
        }
        balloon.setVisible(true);
    }

    private void showTitle() {
        if (shell.isDisposed()) {
            return;
        }
        String title = title(Math.max(unread, conversationsUnread));
        if (!title.equals(shell.getText())) {
            shell.setText(title);
        }
    }

    /** "P2P Chat — profile (count)", without what is empty or 0. */
    private String title(int count) {
        return TITLE + (profile.isBlank() ? "" : " \u2014 " + profile) + (count == 0 ? "" : " (" + count + ")");
    }

    int unread() {
        return unread;
    }

    /** What the last notification said ("title: text"), or null if none came. */
    String lastAlert() {
        return lastAlert;
    }

    private void markRead() {
        if (unread == 0) {
            return;
        }
        unread = 0;
        showTitle();
        balloon.setVisible(false);
        if (trayItem != null) {
            trayItem.dispose();
            trayItem = null;
        }
    }

    void dispose() {
        if (trayItem != null) {
            trayItem.dispose();
        }
        balloon.dispose();
    }
}
