package org.p2pchat.ui.settings.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.jface.layout.TableColumnLayout;
import org.eclipse.jface.viewers.ArrayContentProvider;
import org.eclipse.jface.viewers.CheckboxTableViewer;
import org.eclipse.jface.viewers.ColumnLayoutData;
import org.eclipse.jface.viewers.ColumnLabelProvider;
import org.eclipse.jface.viewers.ColumnPixelData;
import org.eclipse.jface.viewers.ColumnViewerToolTipSupport;
import org.eclipse.jface.viewers.ColumnWeightData;
import org.eclipse.jface.viewers.ICheckStateProvider;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.jface.viewers.StructuredSelection;
import org.eclipse.jface.viewers.TableViewerColumn;
import org.eclipse.swt.SWT;
import org.eclipse.swt.SWTException;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.layout.RowData;
import org.eclipse.swt.layout.RowLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Table;
import org.p2pchat.core.health.HealthStatus;
import org.p2pchat.ui.settings.SettingsUndo;
import org.p2pchat.ui.widgets.HelpButton;

/**
 * One list of the settings dialog: a table with an enabled check box and a status column, and
 * buttons to add, edit, delete, check and restore the defaults. Deleting and restoring can be
 * undone through the dialog's {@link SettingsUndo}. Checks run as jobs; the table is updated when
 * each one finishes, and those still running stop when the list is disposed.
 */
public final class EntryList<T> {

    static final Color OK = new Color(0, 128, 0);
    static final Color WARNING = new Color(184, 110, 0);
    static final Color FAILED = new Color(200, 0, 0);
    /** Hints and notes: quieter than the text around them. */
    static final Color HINT = new Color(100, 100, 100);

    private final EntryKind<T> kind;
    private final SettingsUndo undo;
    private final List<Row<T>> rows = new ArrayList<>();
    private final List<Job> jobs = new ArrayList<>();
    private final Composite control;
    private CheckboxTableViewer viewer;
    private Button edit;
    private Button delete;
    private Button check;
    private Button checkAll;

    public EntryList(Composite parent, EntryKind<T> kind, List<T> entries, SettingsUndo undo) {
        this.kind = kind;
        this.undo = undo;
        entries.forEach(e -> rows.add(new Row<>(e)));
        control = new Composite(parent, SWT.NONE);
        GridLayoutFactory.fillDefaults().numColumns(2).margins(10, 10).spacing(10, 8).applyTo(control);

        Label description = new Label(control, SWT.WRAP);
        description.setText(kind.description);
        GridDataFactory.fillDefaults().grab(true, false).align(SWT.FILL, SWT.CENTER).hint(300, SWT.DEFAULT)
                .applyTo(description);
        Button help = HelpButton.create(control, capitalized(kind.plural), kind.help);
        GridDataFactory.swtDefaults().align(SWT.END, SWT.CENTER).applyTo(help);

        createTable(control);
        createButtons(control);
        viewer.setInput(rows);
        updateButtons();
        control.addListener(SWT.Dispose, e -> cancelChecks());
    }

    public Control control() {
        return control;
    }

    EntryKind<T> kind() {
        return kind;
    }

    public List<T> entries() {
        return rows.stream().map(r -> r.entry).toList();
    }

    /** Stops the checks still running; their results are dropped. */
    void cancelChecks() {
        jobs.forEach(Job::cancel);
        jobs.clear();
    }

    private void createTable(Composite parent) {
        Composite holder = new Composite(parent, SWT.NONE);
        TableColumnLayout layout = new TableColumnLayout();
        holder.setLayout(layout);
        GridDataFactory.fillDefaults().grab(true, true).span(2, 1).hint(560, 110).applyTo(holder);

        viewer = CheckboxTableViewer.newCheckList(holder, SWT.BORDER | SWT.FULL_SELECTION | SWT.MULTI);
        Table table = viewer.getTable();
        table.setHeaderVisible(true);
        table.setLinesVisible(true);
        table.setData(SettingsDialog.WIDGET_ID, kind.id);
        viewer.setContentProvider(ArrayContentProvider.getInstance());
        ColumnViewerToolTipSupport.enableFor(viewer);

        column(layout, "Use", new ColumnPixelData(52, false), "Use this entry", row -> "", null);
        for (int i = 0; i < kind.fields().size(); i++) {
            EntryKind.Field field = kind.fields().get(i);
            if (!field.secret()) {
                int index = i;
                column(layout, field.label(), new ColumnWeightData(field.weight(), 90), null,
                        row -> kind.values(row.entry).get(index), null);
            }
        }
        column(layout, "Status", new ColumnWeightData(38, 160), "The last check of this entry", this::statusText,
                this::statusColor);

        viewer.setCheckStateProvider(new ICheckStateProvider() {
            @Override
            public boolean isChecked(Object element) {
                return kind.enabled(row(element).entry);
            }

            @Override
            public boolean isGrayed(Object element) {
                return false;
            }
        });
        viewer.addCheckStateListener(e -> {
            Row<T> row = row(e.getElement());
            row.entry = kind.withEnabled(row.entry, e.getChecked());
        });
        viewer.addSelectionChangedListener(e -> updateButtons());
        viewer.addDoubleClickListener(e -> edit());
        table.addListener(SWT.KeyDown, e -> {
            if (e.keyCode == SWT.DEL && e.stateMask == 0) {
                delete();
            }
        });
    }

    private void column(TableColumnLayout layout, String title, ColumnLayoutData width,
            String tooltip, Function<Row<T>, String> text,
            Function<Row<T>, Color> color) {
        TableViewerColumn column = new TableViewerColumn(viewer, SWT.LEFT);
        column.getColumn().setText(title);
        column.getColumn().setToolTipText(tooltip);
        layout.setColumnData(column.getColumn(), width);
        column.setLabelProvider(new ColumnLabelProvider() {
            @Override
            public String getText(Object element) {
                return text.apply(row(element));
            }

            @Override
            public Color getForeground(Object element) {
                return color == null ? null : color.apply(row(element));
            }

            @Override
            public String getToolTipText(Object element) {
                String shown = getText(element);
                return shown.length() > 30 ? shown : null;
            }
        });
    }

    /** The buttons in a row below the list (wrapping when narrow): the list keeps the width and a small screen the height. */
    private void createButtons(Composite parent) {
        Composite buttons = new Composite(parent, SWT.NONE);
        RowLayout row = new RowLayout(SWT.HORIZONTAL);
        row.marginLeft = row.marginRight = row.marginTop = row.marginBottom = row.marginWidth = row.marginHeight = 0;
        row.spacing = 6;
        row.center = true;
        buttons.setLayout(row);
        GridDataFactory.fillDefaults().grab(true, false).span(2, 1).applyTo(buttons);
        button(buttons, "add", "&Add…", "Add " + withArticle(kind.singular), this::add);
        edit = button(buttons, "edit", "&Edit…", "Edit the selected entry (or double-click it)", this::edit);
        delete = button(buttons, "delete", "&Delete", "Delete the selected entries (Del); can be undone", this::delete);
        gap(buttons);
        check = button(buttons, "check", "&Check", "Check whether the selected entries answer", () -> check(selection()));
        checkAll = button(buttons, "checkAll", "Check a&ll", "Check every entry of this list",
                () -> check(List.copyOf(rows)));
        gap(buttons);
        button(buttons, "defaults", "&Restore defaults", "Replace this list with the one the client ships with; "
                + "can be undone", this::restoreDefaults);
    }

    /** "a tracker", "an ICE server": "an" before a vowel (the kinds' names are read as spelled). */
    static String withArticle(String noun) {
        return (!noun.isEmpty() && "AEIOUaeiou".indexOf(noun.charAt(0)) >= 0 ? "an " : "a ") + noun;
    }

    private static Button button(Composite parent, String id, String text, String tooltip, Runnable action) {
        Button button = new Button(parent, SWT.PUSH);
        button.setText(text);
        button.setToolTipText(tooltip);
        button.setData(SettingsDialog.WIDGET_ID, id);
        button.addListener(SWT.Selection, e -> action.run());
        button.setLayoutData(new RowData(Math.max(button.computeSize(SWT.DEFAULT, SWT.DEFAULT).x, IDialogConstants.BUTTON_WIDTH),
                SWT.DEFAULT));
        return button;
    }

    private static void gap(Composite parent) {
        new Label(parent, SWT.NONE).setLayoutData(new RowData(10, SWT.DEFAULT));
    }

    private void updateButtons() {
        int selected = selection().size();
        edit.setEnabled(selected == 1);
        delete.setEnabled(selected > 0);
        check.setEnabled(selected > 0);
        checkAll.setEnabled(!rows.isEmpty());
    }

    @SuppressWarnings("unchecked")
    private Row<T> row(Object element) {
        return (Row<T>) element;
    }

    private List<Row<T>> selection() {
        List<Row<T>> selected = new ArrayList<>();
        for (Object element : ((IStructuredSelection) viewer.getSelection()).toList()) {
            selected.add(row(element));
        }
        return selected;
    }

    private void refresh() {
        viewer.refresh();
        updateButtons();
    }

    private void add() {
        new EntryDialog<>(control.getShell(), kind, null, entry -> {
            Row<T> row = new Row<>(entry);
            rows.add(row);
            refresh();
            viewer.setSelection(new StructuredSelection(row), true);
            updateButtons();
        }).open();
    }

    private void edit() {
        List<Row<T>> selected = selection();
        if (selected.size() != 1) {
            return;
        }
        Row<T> row = selected.get(0);
        new EntryDialog<>(control.getShell(), kind, row.entry, entry -> {
            if (rows.contains(row)) {
                row.replace(entry);
                viewer.update(row, null);
            }
        }).open();
    }

    private void delete() {
        List<Row<T>> selected = selection();
        if (selected.isEmpty()) {
            return;
        }
        List<Row<T>> before = List.copyOf(rows);
        rows.removeAll(selected);
        refresh();
        String what = selected.size() == 1 ? "Deleted the " + kind.singular + " “" + kind.label(selected.get(0).entry) + "”."
                : "Deleted " + selected.size() + " " + kind.plural + ".";
        undo.record(control, what, () -> {
            // Back where they were, as far as the list still allows.
            for (int i = 0; i < before.size(); i++) {
                if (selected.contains(before.get(i))) {
                    rows.add(Math.min(i, rows.size()), before.get(i));
                }
            }
            refresh();
            viewer.setSelection(new StructuredSelection(selected), true);
            updateButtons();
        });
    }

    private void restoreDefaults() {
        List<Row<T>> before = List.copyOf(rows);
        rows.clear();
        kind.defaults().forEach(e -> rows.add(new Row<>(e)));
        refresh();
        undo.record(control, "Restored the default " + kind.plural + ".", () -> {
            rows.clear();
            rows.addAll(before);
            refresh();
        });
    }

    private void check(List<Row<T>> toCheck) {
        Display display = control.getDisplay();
        for (Row<T> row : toCheck) {
            T entry = row.entry;
            Optional<String> problem = kind.problem(entry);
            if (problem.isPresent()) {
                row.checking = null;
                row.status = HealthStatus.failed(problem.get(), Duration.ZERO);
                continue;
            }
            Object token = new Object();
            row.checking = token;
            row.status = null;
            String name = "Checking " + kind.label(entry);
            Job job = Job.create(name, monitor -> {
                monitor.beginTask(name, IProgressMonitor.UNKNOWN);
                HealthStatus result = kind.check(entry, monitor);
                monitor.done();
                try {
                    display.asyncExec(() -> finished(row, token, result));
                } catch (SWTException e) {
                    // The display is gone: nobody is waiting for the result.
                }
            });
            jobs.add(job);
            job.schedule();
        }
        jobs.removeIf(j -> j.getState() == Job.NONE && j.getResult() != null);
        viewer.update(toCheck.toArray(), null);
    }

    private void finished(Row<T> row, Object token, HealthStatus result) {
        if (viewer.getTable().isDisposed() || row.checking != token) {
            return;
        }
        row.checking = null;
        row.status = result;
        viewer.update(row, null);
    }

    /** The status column: a colored marker, the level and what the check said. */
    String statusText(Row<T> row) {
        if (row.checking != null) {
            return "○ Checking…";
        }
        if (row.status == null) {
            return kind.problem(row.entry).map(p -> "● Invalid – " + p).orElse("");
        }
        String level = switch (row.status.level()) {
            case OK -> "OK";
            case WARNING -> "Warning";
            case FAILED -> "Failed";
            case UNKNOWN -> "Unknown";
        };
        return "● " + level + " – " + row.status.summary();
    }

    private Color statusColor(Row<T> row) {
        if (row.checking != null) {
            return null;
        }
        if (row.status == null) {
            return kind.problem(row.entry).isPresent() ? FAILED : null;
        }
        return switch (row.status.level()) {
            case OK -> OK;
            case WARNING -> WARNING;
            case FAILED -> FAILED;
            case UNKNOWN -> null;
        };
    }

    private static String capitalized(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
