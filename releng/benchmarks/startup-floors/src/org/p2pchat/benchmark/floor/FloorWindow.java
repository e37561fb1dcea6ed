package org.p2pchat.benchmark.floor;

import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;

/**
 * The least a desktop start can do: one window with a few rows of widgets, the client's default
 * size, reported on screen as the client reports its own ({@code P2P Chat window shown}, then closed
 * after {@code -Dp2pchat.ui.autoclose.ms}). Started by the plain JVM ({@link #main}) or as an Equinox
 * application ({@link FloorApplication}), so that {@code client-startup.sh --floors} can tell what
 * each layer under the client costs.
 */
public final class FloorWindow {

    static final String WINDOW_SHOWN = "P2P Chat window shown";

    private FloorWindow() {
    }

    public static void main(String[] args) {
        run();
    }

    /** Opens the window and returns when it is closed. */
    static void run() {
        Display display = new Display();
        Shell shell = new Shell(display);
        shell.setText("P2P Chat");
        rows(shell);
        shell.setSize(914, 691);
        shell.open();
        display.asyncExec(() -> shown(shell));
        while (!shell.isDisposed()) {
            if (!display.readAndDispatch()) {
                display.sleep();
            }
        }
        display.dispose();
    }

    /** What the floor's window and part show: twenty rows of a label and a text field. */
    static void rows(Composite parent) {
        parent.setLayout(new GridLayout(2, false));
        for (int i = 0; i < 20; i++) {
            new Label(parent, SWT.NONE).setText("Row " + i);
            new Text(parent, SWT.BORDER).setText("text");
        }
    }

    private static void shown(Shell shell) {
        shell.layout(true, true);
        shell.update();
        System.out.println(WINDOW_SHOWN);
        System.out.flush();
        int delay = Integer.getInteger("p2pchat.ui.autoclose.ms", 0);
        shell.getDisplay().timerExec(delay, shell::dispose);
    }
}
