package org.p2pchat.ui.settings.internal;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;

import org.eclipse.jface.dialogs.TitleAreaDialog;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Link;
import org.eclipse.swt.widgets.Listener;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.TabFolder;
import org.eclipse.swt.widgets.TabItem;
import org.eclipse.swt.widgets.Text;
import org.p2pchat.core.PeerTransport;
import org.p2pchat.core.settings.IceServerEntry;
import org.p2pchat.core.settings.ServiceEntry;
import org.p2pchat.core.settings.Settings;
import org.p2pchat.core.settings.SettingsStore;

/**
 * The settings of the running profile: the username and the three lists of network services
 * (STUN/TURN servers, rendezvous services, trackers). Nothing is saved until OK; Cancel discards
 * every change. Deleting entries and restoring defaults can be undone (the Undo link or
 * Ctrl+Z) until the dialog closes.
 */
public final class SettingsDialog extends TitleAreaDialog {

    /** Key of the widget data naming the dialog's controls, for tests and accessibility tools. */
    public static final String WIDGET_ID = "org.p2pchat.ui.settings.id";

    private record UndoStep(EntryList<?> list, String description, Runnable undo) {
    }

    private final SettingsStore store;
    private final PeerTransport transport;
    private final Deque<UndoStep> undoSteps = new ArrayDeque<>();
    private final Listener undoKey = this::undoKey;
    private Text username;
    private TabFolder tabs;
    private EntryList<IceServerEntry> iceServers;
    private EntryList<ServiceEntry> rendezvous;
    private EntryList<ServiceEntry> trackers;
    private Label undoLabel;
    private Link undoLink;

    /** @param transport checks STUN/TURN servers; {@code null} if no transport is installed */
    public SettingsDialog(Shell parent, SettingsStore store, PeerTransport transport) {
        super(parent);
        this.store = store;
        this.transport = transport;
    }

    @Override
    protected void configureShell(Shell shell) {
        super.configureShell(shell);
        shell.setText("Settings");
        shell.setData(WIDGET_ID, "settings");
        shell.getDisplay().addFilter(SWT.KeyDown, undoKey);
        shell.addListener(SWT.Dispose, e -> e.display.removeFilter(SWT.KeyDown, undoKey));
    }

    @Override
    protected boolean isResizable() {
        return true;
    }

    @Override
    protected Point getInitialSize() {
        Point computed = super.getInitialSize();
        return new Point(Math.max(computed.x, 980), Math.max(computed.y, 640));
    }

    @Override
    protected Control createContents(Composite parent) {
        Control contents = super.createContents(parent);
        setTitle("Settings");
        setMessage("Your name, and the servers this client uses to reach peers and share files.");
        return contents;
    }

    @Override
    protected Control createDialogArea(Composite parent) {
        Composite area = (Composite) super.createDialogArea(parent);
        Composite body = new Composite(area, SWT.NONE);
        GridLayoutFactory.fillDefaults().margins(12, 10).spacing(8, 6).applyTo(body);
        GridDataFactory.fillDefaults().grab(true, true).applyTo(body);
        Settings settings = store.get();

        Composite identity = new Composite(body, SWT.NONE);
        GridLayoutFactory.fillDefaults().numColumns(2).spacing(10, 2).applyTo(identity);
        GridDataFactory.fillDefaults().grab(true, false).applyTo(identity);
        Label label = new Label(identity, SWT.NONE);
        label.setText("&Username:");
        username = new Text(identity, SWT.BORDER | SWT.SINGLE);
        username.setText(settings.username());
        username.setMessage("Anonymous");
        username.setData(WIDGET_ID, "username");
        GridDataFactory.fillDefaults().grab(true, false).hint(320, SWT.DEFAULT).applyTo(username);
        new Label(identity, SWT.NONE);
        Label usernameHint = hint(identity,
                "Shown to the people you chat with. Any name you like; there is no account.");
        GridDataFactory.fillDefaults().grab(true, false).applyTo(usernameHint);

        tabs = new TabFolder(body, SWT.TOP);
        GridDataFactory.fillDefaults().grab(true, true).indent(0, 6).applyTo(tabs);
        EntryList.Undo undo = this::recordUndo;
        iceServers = tab(new EntryList<>(tabs, new IceServerKind(transport), settings.iceServers(), undo));
        rendezvous = tab(new EntryList<>(tabs, ServiceKind.rendezvous(), settings.rendezvousServices(), undo));
        trackers = tab(new EntryList<>(tabs, ServiceKind.trackers(), settings.trackers(), undo));

        Composite undoBar = new Composite(body, SWT.NONE);
        GridLayoutFactory.fillDefaults().numColumns(2).spacing(8, 0).applyTo(undoBar);
        GridDataFactory.fillDefaults().grab(true, false).applyTo(undoBar);
        undoLabel = new Label(undoBar, SWT.NONE);
        GridDataFactory.fillDefaults().align(SWT.BEGINNING, SWT.CENTER).applyTo(undoLabel);
        undoLink = new Link(undoBar, SWT.NONE);
        undoLink.setText("<a>Undo</a> (Ctrl+Z)");
        undoLink.setData(WIDGET_ID, "undo");
        undoLink.addListener(SWT.Selection, e -> undo());
        GridDataFactory.fillDefaults().grab(true, false).align(SWT.BEGINNING, SWT.CENTER).applyTo(undoLink);
        showUndo();

        Label note = hint(body, "Changes apply to new connections; chats already open keep the servers they started with.");
        GridDataFactory.fillDefaults().grab(true, false).applyTo(note);
        return area;
    }

    private <T> EntryList<T> tab(EntryList<T> list) {
        TabItem item = new TabItem(tabs, SWT.NONE);
        item.setText(list.kind().title);
        item.setControl(list.control());
        item.setData(WIDGET_ID, list.kind().id);
        return list;
    }

    private static Label hint(Composite parent, String text) {
        Label label = new Label(parent, SWT.WRAP);
        label.setText(text);
        label.setForeground(EntryList.HINT);
        return label;
    }

    private void tabOf(EntryList<?> list) {
        for (TabItem item : tabs.getItems()) {
            if (item.getControl() == list.control()) {
                tabs.setSelection(item);
            }
        }
    }

    private void recordUndo(EntryList<?> list, String description, Runnable undo) {
        undoSteps.push(new UndoStep(list, description, undo));
        showUndo();
    }

    /** Takes back the latest delete or restore; false if there is none. */
    boolean undo() {
        UndoStep step = undoSteps.poll();
        if (step == null) {
            return false;
        }
        tabOf(step.list());
        step.undo().run();
        showUndo();
        return true;
    }

    private void showUndo() {
        UndoStep latest = undoSteps.peek();
        undoLabel.setText(latest == null ? "" : latest.description());
        undoLink.setVisible(latest != null);
        undoLabel.getParent().layout(true);
    }

    /** Ctrl+Z anywhere in the dialog except in a text field, which has its own. */
    private void undoKey(Event e) {
        if (e.widget instanceof Control control && !control.isDisposed() && control.getShell() == getShell()
                && !(control instanceof Text) && (e.stateMask & SWT.MODIFIER_MASK) == SWT.MOD1
                && (e.keyCode == 'z' || e.keyCode == 'Z') && undo()) {
            e.doit = false;
        }
    }

    @Override
    protected void okPressed() {
        Settings changed = store.get().withUsername(username.getText().strip())
                .withIceServers(iceServers.entries()).withRendezvousServices(rendezvous.entries())
                .withTrackers(trackers.entries());
        try {
            store.save(changed);
        } catch (IllegalArgumentException | IOException e) {
            setErrorMessage("Not saved: " + e.getMessage());
            return;
        }
        super.okPressed();
    }

    @Override
    public boolean close() {
        for (EntryList<?> list : new EntryList<?>[] {iceServers, rendezvous, trackers}) {
            if (list != null) {
                list.cancelChecks();
            }
        }
        return super.close();
    }
}
