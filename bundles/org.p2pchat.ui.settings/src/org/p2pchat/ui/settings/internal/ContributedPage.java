package org.p2pchat.ui.settings.internal;

import java.io.IOException;

import org.eclipse.e4.core.contexts.ContextInjectionFactory;
import org.eclipse.e4.core.contexts.IEclipseContext;
import org.eclipse.e4.core.di.InjectionException;
import org.eclipse.e4.core.services.contributions.IContributionFactory;
import org.eclipse.e4.ui.di.Persist;
import org.eclipse.e4.ui.model.application.descriptor.basic.MPartDescriptor;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.TabFolder;
import org.eclipse.swt.widgets.TabItem;
import org.p2pchat.core.settings.SettingsStore;
import org.p2pchat.ui.settings.SettingsPages;
import org.p2pchat.ui.settings.SettingsUndo;

/**
 * A page a plug-in contributed through the application model ({@link SettingsPages}): one tab,
 * its object made by the workbench's contribution factory in a context of its own, saved with its
 * {@code @Persist} method and disposed with the dialog. A page that cannot be made says so in its
 * tab; the rest of the dialog works.
 */
final class ContributedPage {

    private static final System.Logger LOG = System.getLogger(ContributedPage.class.getName());

    private final MPartDescriptor descriptor;
    private final IEclipseContext context;
    private final Object page;

    private ContributedPage(MPartDescriptor descriptor, IEclipseContext context, Object page) {
        this.descriptor = descriptor;
        this.context = context;
        this.page = page;
    }

    static ContributedPage open(TabFolder tabs, MPartDescriptor descriptor, IEclipseContext parent,
            SettingsStore store, SettingsUndo undo) {
        Composite area = new Composite(tabs, SWT.NONE);
        GridLayoutFactory.fillDefaults().applyTo(area);
        TabItem item = new TabItem(tabs, SWT.NONE);
        String label = descriptor.getLocalizedLabel();
        item.setText(label == null || label.isBlank() ? descriptor.getElementId() : label);
        item.setToolTipText(descriptor.getLocalizedTooltip());
        item.setData(SettingsPages.WIDGET_ID, descriptor.getElementId());
        item.setControl(area);

        IEclipseContext context = parent.createChild("settings page " + descriptor.getElementId());
        context.set(Composite.class, area);
        context.set(SettingsStore.class, store);
        context.set(SettingsUndo.class, undo);
        Object page = null;
        try {
            IContributionFactory factory = context.get(IContributionFactory.class);
            if (factory == null) {
                throw new IllegalStateException("no contribution factory in the context");
            }
            page = factory.create(descriptor.getContributionURI(), context);
            if (page == null) {
                throw new IllegalStateException("no class " + descriptor.getContributionURI());
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "settings page " + descriptor.getElementId() + " could not be made", e);
            for (var child : area.getChildren()) {
                child.dispose();
            }
            GridLayoutFactory.fillDefaults().margins(10, 10).applyTo(area);
            Label problem = new Label(area, SWT.WRAP);
            problem.setText("This page could not be opened: " + rootMessage(e));
            GridDataFactory.fillDefaults().grab(true, false).hint(400, SWT.DEFAULT).applyTo(problem);
        }
        return new ContributedPage(descriptor, context, page);
    }

    /** Calls the page's {@code @Persist} method, if it has one. */
    void save() throws IOException {
        if (page == null) {
            return;
        }
        try {
            ContextInjectionFactory.invoke(page, Persist.class, context, null);
        } catch (InjectionException e) {
            // The page's own exception, under the injector's wrapping.
            for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
                if (cause instanceof IllegalArgumentException refused) {
                    throw refused;
                }
                if (cause instanceof IOException failed) {
                    throw failed;
                }
            }
            throw new IOException(label() + ": " + rootMessage(e), e);
        }
    }

    void close() {
        context.dispose();
    }

    private String label() {
        return descriptor.getLocalizedLabel();
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
