package org.p2pchat.ui.internal.parts;

import java.util.List;
import java.util.Objects;

import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;

import org.eclipse.e4.core.di.annotations.Optional;
import org.eclipse.e4.core.di.extensions.Service;
import org.eclipse.e4.ui.di.Focus;
import org.eclipse.e4.ui.di.UISynchronize;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.jface.resource.JFaceResources;
import org.eclipse.jface.viewers.ArrayContentProvider;
import org.eclipse.jface.viewers.ColumnLabelProvider;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.jface.viewers.StructuredSelection;
import org.eclipse.jface.viewers.TableViewer;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Font;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.p2pchat.core.settings.SettingsStore;
import org.p2pchat.core.signaling.SignalingProvider;

/**
 * The start page of the desktop client: who the user is, which connection methods are installed
 * and a status line.
 * <p>
 * Both services are OSGi services injected with {@link Service}, which re-injects them when they
 * change: a {@link SignalingProvider} registered later (a plug-in started late) appears in the
 * list, one that is unregistered disappears. Re-injection happens on the thread that changed the
 * service, so the controls are updated through {@link UISynchronize}.
 */
public class HomePart {

    @Inject
    private UISynchronize sync;

    private volatile SettingsStore settingsStore;
    private volatile List<SignalingProvider> providers = List.of();
    private volatile boolean created;

    private Label username;
    private Label profile;
    private TableViewer methods;
    private Label methodTitle;
    private Label methodDescription;
    private Label status;

    @Inject
    void setSettingsStore(@Optional @Service SettingsStore store) {
        settingsStore = store;
        refreshLater();
    }

    /** Every registered provider, highest service ranking first. */
    @Inject
    void setProviders(@Optional @Service List<SignalingProvider> registered) {
        providers = registered == null ? List.of() : List.copyOf(registered);
        refreshLater();
    }

    @PostConstruct
    void createControls(Composite parent) {
        GridLayoutFactory.fillDefaults().margins(16, 12).spacing(8, 6).applyTo(parent);

        Label title = new Label(parent, SWT.NONE);
        title.setText("P2P Chat");
        title.setFont(JFaceResources.getHeaderFont());
        GridDataFactory.fillDefaults().grab(true, false).applyTo(title);

        Composite identity = new Composite(parent, SWT.NONE);
        GridLayoutFactory.fillDefaults().numColumns(2).spacing(12, 4).applyTo(identity);
        GridDataFactory.fillDefaults().grab(true, false).applyTo(identity);
        username = field(identity, "Username:");
        profile = field(identity, "Profile:");

        Label heading = new Label(parent, SWT.NONE);
        heading.setText("Connection methods");
        heading.setFont(bold());
        GridDataFactory.fillDefaults().grab(true, false).indent(0, 12).applyTo(heading);

        Composite methodArea = new Composite(parent, SWT.NONE);
        GridLayoutFactory.fillDefaults().numColumns(2).spacing(12, 0).applyTo(methodArea);
        GridDataFactory.fillDefaults().grab(true, true).applyTo(methodArea);
        createMethodList(methodArea);
        createMethodDetails(methodArea);

        Label separator = new Label(parent, SWT.SEPARATOR | SWT.HORIZONTAL);
        GridDataFactory.fillDefaults().grab(true, false).indent(0, 6).applyTo(separator);
        status = new Label(parent, SWT.NONE);
        GridDataFactory.fillDefaults().grab(true, false).applyTo(status);

        created = true;
        refresh();
    }

    private static Label field(Composite parent, String name) {
        Label label = new Label(parent, SWT.NONE);
        label.setText(name);
        Label value = new Label(parent, SWT.NONE);
        GridDataFactory.fillDefaults().grab(true, false).applyTo(value);
        return value;
    }

    private void createMethodList(Composite parent) {
        methods = new TableViewer(parent, SWT.SINGLE | SWT.BORDER | SWT.FULL_SELECTION | SWT.V_SCROLL);
        methods.setContentProvider(ArrayContentProvider.getInstance());
        methods.setLabelProvider(new ColumnLabelProvider() {
            @Override
            public String getText(Object element) {
                return ((SignalingProvider) element).displayName();
            }
        });
        methods.addSelectionChangedListener(e -> showDetails(selectedMethod()));
        GridDataFactory.fillDefaults().grab(false, true).hint(240, SWT.DEFAULT).applyTo(methods.getControl());
    }

    private void createMethodDetails(Composite parent) {
        Composite details = new Composite(parent, SWT.NONE);
        GridLayoutFactory.fillDefaults().spacing(0, 6).applyTo(details);
        GridDataFactory.fillDefaults().grab(true, true).applyTo(details);
        methodTitle = new Label(details, SWT.NONE);
        methodTitle.setFont(bold());
        GridDataFactory.fillDefaults().grab(true, false).applyTo(methodTitle);
        methodDescription = new Label(details, SWT.WRAP);
        GridDataFactory.fillDefaults().grab(true, true).hint(200, SWT.DEFAULT).applyTo(methodDescription);
    }

    private static Font bold() {
        return JFaceResources.getFontRegistry().getBold(JFaceResources.DEFAULT_FONT);
    }

    private void refreshLater() {
        if (created) {
            sync.asyncExec(this::refresh);
        }
    }

    /** Shows the current services; on the UI thread. */
    private void refresh() {
        if (status.isDisposed()) {
            return;
        }
        SettingsStore store = settingsStore;
        List<SignalingProvider> current = providers;

        if (store == null) {
            username.setText("-");
            profile.setText("-");
        } else {
            String name = store.get().username();
            username.setText(name.isBlank() ? "(not set)" : name);
            profile.setText(store.profileDirectory().toString());
        }

        SignalingProvider selected = selectedMethod();
        methods.setInput(current);
        SignalingProvider keep = current.stream()
                .filter(p -> selected != null && Objects.equals(p.id(), selected.id()))
                .findFirst().orElse(current.isEmpty() ? null : current.get(0));
        if (keep != null) {
            methods.setSelection(new StructuredSelection(keep), true);
        }
        showDetails(keep);

        status.setText(statusText(store, current.size()));
        status.getParent().layout(true, true);
    }

    private SignalingProvider selectedMethod() {
        return (SignalingProvider) ((IStructuredSelection) methods.getSelection()).getFirstElement();
    }

    private void showDetails(SignalingProvider method) {
        if (method == null) {
            methodTitle.setText("No connection methods are installed");
            methodDescription.setText("Connection methods are plug-ins. Once one is installed and started "
                    + "it appears here without a restart.");
        } else {
            methodTitle.setText(method.displayName());
            methodDescription.setText(method.description());
        }
        methodDescription.getParent().layout(true, true);
    }

    static String statusText(SettingsStore store, int methodCount) {
        if (store == null) {
            return "The profile could not be opened: settings are not available.";
        }
        java.util.Optional<String> problem = store.loadProblem();
        if (problem.isPresent()) {
            return problem.get();
        }
        return switch (methodCount) {
            case 0 -> "Ready. No connection methods installed.";
            case 1 -> "Ready. 1 connection method available.";
            default -> "Ready. " + methodCount + " connection methods available.";
        };
    }

    @Focus
    void setFocus() {
        methods.getControl().setFocus();
    }
}
