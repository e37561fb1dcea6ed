package org.p2pchat.install.ui.internal;

import java.lang.System.Logger.Level;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.jface.dialogs.TitleAreaDialog;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.jface.viewers.CheckboxTreeViewer;
import org.eclipse.jface.viewers.ColumnLabelProvider;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.jface.viewers.ITreeContentProvider;
import org.eclipse.jface.viewers.StructuredSelection;
import org.eclipse.jface.viewers.TreeViewerColumn;
import org.eclipse.jface.viewers.Viewer;
import org.eclipse.jface.viewers.ViewerFilter;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.DirectoryDialog;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;
import org.p2pchat.install.InstallException;
import org.p2pchat.install.PluginFeature;
import org.p2pchat.install.PluginInstallation;
import org.p2pchat.install.SiteCategory;
import org.p2pchat.install.UpdateSite;

/**
 * Help &gt; Install New Software…: the person names an update site (an address, or a folder or
 * .zip picked with the buttons), sees its categories and features, checks some and installs them.
 * All p2 work is done by {@link PluginInstallation}, with a progress dialog; its errors are shown
 * in the dialog's message area, or, when an install fails, in full in an error dialog.
 */
public class InstallDialog extends TitleAreaDialog {

    public static final String TITLE = "Install New Software";

    private static final System.Logger LOG = System.getLogger(InstallDialog.class.getName());

    private final PluginInstallation installation;
    private final Set<PluginFeature> checked = new LinkedHashSet<>();
    private Text siteField;
    private Text filterField;
    private CheckboxTreeViewer features;
    private Text details;
    private UpdateSite site;
    private String installedSummary = "";

    public InstallDialog(Shell parent, PluginInstallation installation) {
        super(parent);
        this.installation = installation;
        setShellStyle(getShellStyle() | SWT.RESIZE);
    }

    /** What was installed (names and versions), once the dialog ended with OK. */
    public String installedSummary() {
        return installedSummary;
    }

    @Override
    protected void configureShell(Shell shell) {
        super.configureShell(shell);
        shell.setText(TITLE);
    }

    @Override
    protected Control createDialogArea(Composite parent) {
        setTitle("Install plug-ins from an update site");
        setMessage("Enter an update site's address (http, https or file) or pick a folder or .zip, then press Enter.");
        Composite area = (Composite) super.createDialogArea(parent);
        Composite body = new Composite(area, SWT.NONE);
        GridLayoutFactory.swtDefaults().numColumns(5).applyTo(body);
        GridDataFactory.fillDefaults().grab(true, true).applyTo(body);

        new Label(body, SWT.NONE).setText("&Update site:");
        siteField = new Text(body, SWT.BORDER | SWT.SINGLE);
        siteField.setMessage("https://example.org/p2pchat/site, a folder or a .zip");
        GridDataFactory.fillDefaults().grab(true, false).hint(360, SWT.DEFAULT).applyTo(siteField);
        siteField.addTraverseListener(e -> {
            if (e.detail == SWT.TRAVERSE_RETURN) {
                e.doit = false;
                showSite();
            }
        });
        button(body, "&Show", this::showSite);
        button(body, "F&older…", this::pickFolder);
        button(body, "&Zip…", this::pickZip);

        new Label(body, SWT.NONE).setText("&Filter:");
        filterField = new Text(body, SWT.BORDER | SWT.SINGLE | SWT.SEARCH);
        filterField.setMessage("type part of a name");
        GridDataFactory.fillDefaults().grab(true, false).span(4, 1).applyTo(filterField);
        filterField.addModifyListener(e -> {
            features.refresh();
            features.expandAll();
            selectFirstFeature();
        });

        features = new CheckboxTreeViewer(body, SWT.BORDER | SWT.FULL_SELECTION | SWT.MULTI);
        features.getTree().setHeaderVisible(true);
        GridDataFactory.fillDefaults().grab(true, true).span(5, 1).hint(560, 260).applyTo(features.getTree());
        TreeViewerColumn name = new TreeViewerColumn(features, SWT.LEFT);
        name.getColumn().setText("Name");
        name.getColumn().setWidth(400);
        name.setLabelProvider(ColumnLabelProvider.createTextProvider(
                e -> e instanceof SiteCategory c ? c.name() : ((PluginFeature) e).name()));
        TreeViewerColumn version = new TreeViewerColumn(features, SWT.LEFT);
        version.getColumn().setText("Version");
        version.getColumn().setWidth(160);
        version.setLabelProvider(ColumnLabelProvider.createTextProvider(
                e -> e instanceof PluginFeature f ? f.version() : ""));
        features.setContentProvider(new SiteContent());
        features.addFilter(new NameFilter());
        features.addCheckStateListener(e -> check(e.getElement(), e.getChecked()));
        // The space bar checks or unchecks the selected rows (GTK leaves it to the mouse).
        features.getTree().addListener(SWT.KeyDown, e -> {
            if (e.character == ' ') {
                e.doit = false;
                toggleSelected();
            }
        });
        features.addSelectionChangedListener(e -> showDetails(((IStructuredSelection) e.getSelection()).getFirstElement()));

        details = new Text(body, SWT.READ_ONLY | SWT.WRAP | SWT.MULTI | SWT.V_SCROLL);
        GridDataFactory.fillDefaults().grab(true, false).span(5, 1).hint(560, 70).applyTo(details);
        siteField.setFocus();
        return area;
    }

    private static Button button(Composite parent, String label, Runnable action) {
        Button button = new Button(parent, SWT.PUSH);
        button.setText(label);
        button.addListener(SWT.Selection, e -> action.run());
        return button;
    }

    @Override
    protected void createButtonsForButtonBar(Composite parent) {
        createButton(parent, IDialogConstants.OK_ID, "&Install", false);
        createButton(parent, IDialogConstants.CANCEL_ID, IDialogConstants.CANCEL_LABEL, false);
    }

    private void toggleSelected() {
        List<?> rows = ((IStructuredSelection) features.getSelection()).toList();
        if (!rows.isEmpty()) {
            boolean on = !features.getChecked(rows.get(0));
            rows.forEach(row -> check(row, on));
        }
    }

    /** Checks or unchecks a feature, or every feature the filter shows of a category. */
    private void check(Object row, boolean on) {
        features.setChecked(row, on);
        if (row instanceof SiteCategory category) {
            NameFilter filter = new NameFilter();
            category.features().stream().filter(f -> filter.select(features, category, f)).forEach(f -> setChecked(f, on));
            features.setSubtreeChecked(category, on);
        } else {
            setChecked((PluginFeature) row, on);
        }
        setErrorMessage(null);
    }

    private void setChecked(PluginFeature feature, boolean on) {
        if (on) {
            checked.add(feature);
        } else {
            checked.remove(feature);
        }
    }

    private void pickFolder() {
        DirectoryDialog chooser = new DirectoryDialog(getShell());
        chooser.setText("Update site folder");
        chooser.setMessage("The folder of an update site (it holds content.jar or content.xml)");
        String folder = chooser.open();
        if (folder != null) {
            siteField.setText(folder);
            showSite();
        }
    }

    private void pickZip() {
        FileDialog chooser = new FileDialog(getShell(), SWT.OPEN);
        chooser.setText("Zipped update site");
        chooser.setFilterExtensions(new String[] { "*.zip", "*" });
        chooser.setFilterNames(new String[] { "Zipped update sites (*.zip)", "All files" });
        String zip = chooser.open();
        if (zip != null) {
            siteField.setText(zip);
            showSite();
        }
    }

    /** Reads the site in the field and lists what it offers; an error is said in the message area. */
    private void showSite() {
        checked.clear();
        site = null;
        features.setInput(null);
        details.setText("");
        String typed = siteField.getText();
        try {
            URI location = installation.siteLocation(typed);
            site = Background.withProgress(getShell(), monitor -> installation.readSite(location, monitor));
        } catch (InstallException e) {
            error("Cannot show " + typed.strip(), e);
            siteField.setFocus();
            return;
        }
        setErrorMessage(null);
        long count = site.categories().stream().mapToLong(c -> c.features().size()).sum();
        LOG.log(Level.INFO, TITLE + ": " + site.location() + " offers " + count + " features in "
                + site.categories().size() + " categories");
        setMessage(count == 0 ? "This update site offers no features." : "Check the plug-ins to install, then press Install.");
        features.setInput(site);
        features.expandAll();
        selectFirstFeature();
        features.getTree().setFocus();
    }

    /** Selects the first feature shown, so that a person who tabs into the list can check it with the space bar. */
    private void selectFirstFeature() {
        if (site == null) {
            return;
        }
        for (SiteCategory category : site.categories()) {
            for (PluginFeature feature : category.features()) {
                if (new NameFilter().select(features, category, feature)) {
                    features.setSelection(new StructuredSelection(feature), true);
                    return;
                }
            }
        }
    }

    private void showDetails(Object element) {
        if (element instanceof PluginFeature f) {
            details.setText(f.name() + " " + f.version() + " (" + f.id() + ")"
                    + (f.description().isEmpty() ? "" : "\n" + f.description()));
        } else if (element instanceof SiteCategory c) {
            details.setText(c.name() + (c.description().isEmpty() ? "" : "\n" + c.description()));
        } else {
            details.setText("");
        }
    }

    @Override
    protected void okPressed() {
        if (site == null) {
            setErrorMessage(siteField.getText().isBlank() ? "Enter an update site first, then press Enter."
                    : "Press Enter (or Show) to list the update site's plug-ins first.");
            siteField.setFocus();
            return;
        }
        if (checked.isEmpty()) {
            setErrorMessage("Nothing is selected: check at least one plug-in to install.");
            features.getTree().setFocus();
            return;
        }
        List<String> ids = new ArrayList<>(checked.stream().map(PluginFeature::id).toList());
        URI location = site.location();
        try {
            Background.withProgress(getShell(), monitor -> {
                installation.install(location, ids, monitor);
                return null;
            });
        } catch (InstallException e) {
            LOG.log(Level.INFO, TITLE + ": " + e.getMessage());
            setErrorMessage("The plug-ins were not installed (see why in the message).");
            MessageDialog.openError(getShell(), "Cannot install", e.getMessage());
            return;
        }
        installedSummary = String.join(", ", checked.stream().map(f -> f.name() + " " + f.version()).toList());
        LOG.log(Level.INFO, TITLE + ": installed " + installedSummary);
        super.okPressed();
    }

    private void error(String what, InstallException e) {
        LOG.log(Level.INFO, TITLE + ": " + what + ": " + e.getMessage());
        setErrorMessage(e.getMessage());
    }

    /** The site's categories, and each category's features. */
    private static final class SiteContent implements ITreeContentProvider {

        @Override
        public Object[] getElements(Object input) {
            return input instanceof UpdateSite s ? s.categories().toArray() : new Object[0];
        }

        @Override
        public Object[] getChildren(Object parent) {
            return parent instanceof SiteCategory c ? c.features().toArray() : new Object[0];
        }

        @Override
        public Object getParent(Object element) {
            return null;
        }

        @Override
        public boolean hasChildren(Object element) {
            return element instanceof SiteCategory c && !c.features().isEmpty();
        }
    }

    /** Features whose name, id or description has the filter's text; categories with such features. */
    private final class NameFilter extends ViewerFilter {

        @Override
        public boolean select(Viewer viewer, Object parent, Object element) {
            String filter = filterField.getText().strip().toLowerCase(Locale.ROOT);
            if (filter.isEmpty()) {
                return true;
            }
            if (element instanceof SiteCategory c) {
                return c.features().stream().anyMatch(f -> matches(f, filter));
            }
            return matches((PluginFeature) element, filter);
        }

        private static boolean matches(PluginFeature feature, String filter) {
            return (feature.name() + "\n" + feature.id() + "\n" + feature.description()).toLowerCase(Locale.ROOT)
                    .contains(filter);
        }
    }
}
