package org.p2pchat.ui.settings.internal;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;

import org.eclipse.e4.core.contexts.IEclipseContext;
import org.eclipse.e4.ui.model.application.descriptor.basic.MPartDescriptor;
import org.eclipse.jface.dialogs.IMessageProvider;
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
import org.p2pchat.core.files.FileSettings;
import org.p2pchat.core.settings.IceServerEntry;
import org.p2pchat.core.settings.ServiceEntry;
import org.p2pchat.core.settings.Settings;
import org.p2pchat.core.settings.SettingsStore;
import org.p2pchat.ui.settings.SettingsPages;

/**
 * The settings of the running profile: the client's own (the username, the STUN/TURN servers,
 * the file transfer's trackers) and one page per plug-in that contributes one through the
 * application model ({@link SettingsPages}), such as the rendezvous provider's services. Nothing
 * is saved until OK; Cancel discards every change. Deleting entries and restoring defaults can be
 * undone (the Undo link or Ctrl+Z) until the dialog closes.
 */
public final class SettingsDialog extends TitleAreaDialog {

    /** Key of the widget data naming the dialog's controls, for tests and accessibility tools. */
    public static final String WIDGET_ID = SettingsPages.WIDGET_ID;

    private record UndoStep(Control where, String description, Runnable undo) {
    }

    /** A tab to make, and where it goes ({@link SettingsPages#ORDER}). */
    private record Page(int order, Runnable create) {
    }

    private static final int ICE_ORDER = 0;
    private static final int TRACKERS_ORDER = 20;
    private static final int DEFAULT_ORDER = 100;

    private final SettingsStore store;
    private final PeerTransport transport;
    private final Deque<UndoStep> undoSteps = new ArrayDeque<>();
    private final Listener undoKey = this::undoKey;
    private Text username;
    private TabFolder tabs;
    private final IEclipseContext context;
    private final List<MPartDescriptor> pageDescriptors;
    private final List<ContributedPage> pages = new ArrayList<>();
    private EntryList<IceServerEntry> iceServers;
    private EntryList<ServiceEntry> trackers;
    private Label undoLabel;
    private Link undoLink;

    /** @param transport checks STUN/TURN servers; {@code null} if no transport is installed */
    public SettingsDialog(Shell parent, SettingsStore store, PeerTransport transport) {
        this(parent, store, transport, null, List.of());
    }

    /**
     * @param context         where contributed pages are made (it must hold the workbench's
     *                        {@code IContributionFactory}); {@code null} if {@code pages} is empty
     * @param pageDescriptors the application's part descriptors tagged {@link SettingsPages#TAG}
     */
    public SettingsDialog(Shell parent, SettingsStore store, PeerTransport transport, IEclipseContext context,
            List<MPartDescriptor> pageDescriptors) {
        super(parent);
        this.store = store;
        this.transport = transport;
        this.context = context;
        this.pageDescriptors = pageDescriptors.stream()
                .sorted(Comparator.comparingInt(SettingsDialog::order).thenComparing(d -> String.valueOf(d.getLabel())))
                .toList();
    }

    private static int order(MPartDescriptor descriptor) {
        try {
            String order = descriptor.getPersistedState().get(SettingsPages.ORDER);
            return order == null ? DEFAULT_ORDER : Integer.parseInt(order.strip());
        } catch (NumberFormatException e) {
            return DEFAULT_ORDER;
        }
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
        // Read after the pages read their sections: a section that could not be read is named here.
        store.loadProblem().ifPresentOrElse(problem -> setMessage(problem, IMessageProvider.WARNING),
                () -> setMessage("Your name, and the servers this client and its connection methods use to reach "
                        + "peers and share files."));
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
        FileSettings files = store.section(FileSettings.SECTION).read(FileSettings.class, FileSettings::defaults);
        List<Page> all = new ArrayList<>();
        all.add(new Page(ICE_ORDER, () -> iceServers = tab(
                new EntryList<>(tabs, new IceServerKind(transport), settings.iceServers(), this::recordUndo))));
        all.add(new Page(TRACKERS_ORDER, () -> trackers = tab(
                ServiceKind.list(tabs, ServiceKind.trackers(), files.trackers(), this::recordUndo))));
        for (MPartDescriptor descriptor : pageDescriptors) {
            all.add(new Page(order(descriptor),
                    () -> pages.add(ContributedPage.open(tabs, descriptor, context, store, this::recordUndo))));
        }
        // A stable sort: the client's own page first among pages of the same order.
        all.stream().sorted(Comparator.comparingInt(Page::order)).forEach(p -> p.create().run());

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

    /** Shows the tab that holds {@code control}. */
    private void tabOf(Control control) {
        for (TabItem item : tabs.getItems()) {
            for (Control c = control; c != null && c != tabs; c = c.getParent()) {
                if (item.getControl() == c) {
                    tabs.setSelection(item);
                    return;
                }
            }
        }
    }

    private void recordUndo(Control where, String description, Runnable undo) {
        undoSteps.push(new UndoStep(where, description, undo));
        showUndo();
    }

    /** Takes back the latest delete or restore; false if there is none. */
    boolean undo() {
        UndoStep step = undoSteps.poll();
        if (step == null) {
            return false;
        }
        tabOf(step.where());
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

    /**
     * Saves every page: the client's own settings first (an invalid entry there writes nothing),
     * then each contributed page its section. A page that refuses keeps the dialog open with its
     * message; OK again saves everything again.
     */
    @Override
    protected void okPressed() {
        Settings changed = store.get().withUsername(username.getText().strip())
                .withIceServers(iceServers.entries());
        FileSettings files = new FileSettings(trackers.entries());
        try {
            files.problem().ifPresent(p -> {
                throw new IllegalArgumentException(p);
            });
            store.save(changed);
            store.section(FileSettings.SECTION).write(files);
            for (ContributedPage page : pages) {
                page.save();
            }
        } catch (IllegalArgumentException | IOException e) {
            setErrorMessage("Not saved: " + e.getMessage());
            return;
        }
        super.okPressed();
    }

    @Override
    public boolean close() {
        for (EntryList<?> list : new EntryList<?>[] {iceServers, trackers}) {
            if (list != null) {
                list.cancelChecks();
            }
        }
        pages.forEach(ContributedPage::close);
        pages.clear();
        return super.close();
    }
}
