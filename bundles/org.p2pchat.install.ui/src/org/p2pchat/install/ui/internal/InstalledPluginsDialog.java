package org.p2pchat.install.ui.internal;

import java.lang.System.Logger.Level;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.jface.dialogs.TitleAreaDialog;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.viewers.ArrayContentProvider;
import org.eclipse.jface.viewers.ColumnLabelProvider;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.jface.viewers.StructuredSelection;
import org.eclipse.jface.viewers.TableViewer;
import org.eclipse.jface.viewers.TableViewerColumn;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Shell;
import org.p2pchat.install.AvailableUpdate;
import org.p2pchat.install.InstallException;
import org.p2pchat.install.PluginFeature;
import org.p2pchat.install.PluginInstallation;

/**
 * Help &gt; Installed Plug-ins…: the optional features installed, with their versions and, once
 * the sites read before were asked, the newer version each offers; Uninstall and Update act on the
 * selected rows. The p2 work is done by {@link PluginInstallation} with a progress dialog.
 */
public class InstalledPluginsDialog extends TitleAreaDialog {

    public static final String TITLE = "Installed Plug-ins";
    private static final int UNINSTALL_ID = IDialogConstants.CLIENT_ID + 1;
    private static final int UPDATE_ID = IDialogConstants.CLIENT_ID + 2;

    private static final System.Logger LOG = System.getLogger(InstalledPluginsDialog.class.getName());

    private final PluginInstallation installation;
    private final Map<String, AvailableUpdate> updates = new HashMap<>();
    private TableViewer table;
    private String changeSummary;

    public InstalledPluginsDialog(Shell parent, PluginInstallation installation) {
        super(parent);
        this.installation = installation;
        setShellStyle(getShellStyle() | SWT.RESIZE);
    }

    /** What was changed (to say in the restart prompt), or null when nothing was. */
    public String changeSummary() {
        return changeSummary;
    }

    @Override
    protected void configureShell(Shell shell) {
        super.configureShell(shell);
        shell.setText(TITLE);
    }

    @Override
    protected Control createDialogArea(Composite parent) {
        setTitle("Plug-ins installed in " + installation.installFolder());
        Composite area = (Composite) super.createDialogArea(parent);
        table = new TableViewer(area, SWT.BORDER | SWT.FULL_SELECTION | SWT.MULTI);
        table.getTable().setHeaderVisible(true);
        GridDataFactory.fillDefaults().grab(true, true).indent(10, 10).hint(680, 220).applyTo(table.getTable());
        column("Name", 280, f -> f.name());
        column("Version", 200, f -> f.version());
        column("Update", 200, f -> updates.containsKey(f.id()) ? updates.get(f.id()).newer().version() : "");
        table.setContentProvider(ArrayContentProvider.getInstance());
        table.addSelectionChangedListener(e -> enableButtons());
        return area;
    }

    private void column(String title, int width, java.util.function.Function<PluginFeature, String> text) {
        TableViewerColumn column = new TableViewerColumn(table, SWT.LEFT);
        column.getColumn().setText(title);
        column.getColumn().setWidth(width);
        column.setLabelProvider(ColumnLabelProvider.createTextProvider(e -> text.apply((PluginFeature) e)));
    }

    @Override
    protected void createButtonsForButtonBar(Composite parent) {
        createButton(parent, UNINSTALL_ID, "&Uninstall", false);
        createButton(parent, UPDATE_ID, "U&pdate", false);
        createButton(parent, IDialogConstants.CLOSE_ID, IDialogConstants.CLOSE_LABEL, true);
        list();
        checkForUpdates();
    }

    private void list() {
        List<PluginFeature> installed = installation.installed();
        table.setInput(installed);
        if (installed.isEmpty()) {
            setMessage("No optional plug-ins are installed. Help > Install New Software… adds some.");
        } else {
            setMessage("Select plug-ins, then Uninstall or Update them.");
            table.setSelection(new StructuredSelection(installed.get(0)), true);
        }
        enableButtons();
        table.getTable().setFocus();
    }

    /** Asks the sites read before for newer versions, off the UI thread; the Update column shows them. */
    private void checkForUpdates() {
        Thread check = new Thread(() -> {
            List<AvailableUpdate> found;
            try {
                found = installation.availableUpdates(null);
            } catch (InstallException | RuntimeException e) {
                LOG.log(Level.INFO, "Cannot look for updates: " + e.getMessage());
                return;
            }
            Shell shell = getShell();
            if (shell != null && !shell.isDisposed()) {
                shell.getDisplay().asyncExec(() -> {
                    if (table.getTable().isDisposed()) {
                        return;
                    }
                    updates.clear();
                    found.forEach(u -> updates.put(u.installed().id(), u));
                    table.refresh();
                    enableButtons();
                    LOG.log(Level.INFO, TITLE + ": updates for " + found.size() + " plug-ins");
                    if (!found.isEmpty()) {
                        setMessage("Updates are available for " + found.size() + " plug-in"
                                + (found.size() == 1 ? "" : "s") + ".");
                    }
                });
            }
        }, "P2P Chat update check");
        check.setDaemon(true);
        check.start();
    }

    private List<PluginFeature> selected() {
        return ((IStructuredSelection) table.getSelection()).stream().map(PluginFeature.class::cast).toList();
    }

    private void enableButtons() {
        List<PluginFeature> selected = selected();
        Button uninstall = getButton(UNINSTALL_ID);
        Button update = getButton(UPDATE_ID);
        if (uninstall != null) {
            uninstall.setEnabled(!selected.isEmpty());
        }
        if (update != null) {
            update.setEnabled(selected.stream().anyMatch(f -> updates.containsKey(f.id())));
        }
    }

    @Override
    protected void buttonPressed(int id) {
        if (id == UNINSTALL_ID) {
            uninstall();
        } else if (id == UPDATE_ID) {
            update();
        } else if (id == IDialogConstants.CLOSE_ID) {
            close();
        } else {
            super.buttonPressed(id);
        }
    }

    private void uninstall() {
        List<PluginFeature> selected = selected();
        if (selected.isEmpty()) {
            setErrorMessage("Nothing is selected: select the plug-ins to uninstall.");
            return;
        }
        String names = names(selected);
        if (!MessageDialog.openQuestion(getShell(), "Uninstall", "Uninstall " + names + "?")) {
            return;
        }
        List<String> ids = selected.stream().map(PluginFeature::id).toList();
        if (change(monitor -> {
            installation.uninstall(ids, monitor);
            return null;
        }, "uninstall")) {
            changeSummary = (changeSummary == null ? "" : changeSummary + "\n") + names + " uninstalled.";
            close();
        }
    }

    private void update() {
        List<PluginFeature> selected = selected().stream().filter(f -> updates.containsKey(f.id())).toList();
        if (selected.isEmpty()) {
            setErrorMessage("None of the selected plug-ins has an update.");
            return;
        }
        List<String> ids = selected.stream().map(PluginFeature::id).toList();
        if (change(monitor -> {
            installation.update(ids, monitor);
            return null;
        }, "update")) {
            changeSummary = (changeSummary == null ? "" : changeSummary + "\n")
                    + String.join(", ", selected.stream().map(f -> f.name() + " updated to " + updates.get(f.id()).newer().version()).toList()) + ".";
            close();
        }
    }

    private boolean change(Background.Work<Void> work, String what) {
        try {
            Background.withProgress(getShell(), work);
            setErrorMessage(null);
            return true;
        } catch (InstallException e) {
            LOG.log(Level.INFO, TITLE + ": cannot " + what + ": " + e.getMessage());
            setErrorMessage("Cannot " + what + " (see why in the message).");
            MessageDialog.openError(getShell(), "Cannot " + what, e.getMessage());
            return false;
        }
    }

    private static String names(List<PluginFeature> features) {
        return String.join(", ", features.stream().map(f -> f.name() + " " + f.version()).toList());
    }
}
