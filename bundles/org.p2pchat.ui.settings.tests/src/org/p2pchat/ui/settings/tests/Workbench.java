package org.p2pchat.ui.settings.tests;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import org.eclipse.core.runtime.IExtensionRegistry;
import org.eclipse.core.runtime.RegistryFactory;
import org.eclipse.e4.core.contexts.EclipseContextFactory;
import org.eclipse.e4.core.contexts.IEclipseContext;
import org.eclipse.e4.core.services.contributions.IContributionFactory;
import org.eclipse.e4.ui.di.UISynchronize;
import org.eclipse.e4.ui.model.application.MApplication;
import org.eclipse.e4.ui.model.application.commands.MCommandsFactory;
import org.eclipse.e4.ui.model.application.descriptor.basic.MBasicFactory;
import org.eclipse.e4.ui.model.application.ui.menu.MMenuFactory;
import org.eclipse.e4.ui.model.fragment.MFragmentFactory;
import org.eclipse.e4.ui.workbench.swt.DisplayUISynchronize;
import org.eclipse.emf.common.util.URI;
import org.eclipse.emf.ecore.resource.Resource;
import org.eclipse.emf.ecore.resource.impl.ResourceSetImpl;
import org.eclipse.swt.widgets.Display;
import org.osgi.framework.Bundle;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The desktop client's application model as the workbench builds it on start: its
 * Application.e4xmi with the model fragments of every installed bundle merged in by the
 * workbench's own model assembler; and a context that makes contributions as the workbench does
 * (its contribution factory).
 */
final class Workbench {

    static final String INTERNAL = "org.eclipse.e4.ui.internal.workbench.";

    private static MApplication application;

    private Workbench() {
    }

    /** The application, assembled once per test run. */
    static synchronized MApplication application() throws Exception {
        if (application == null) {
            MApplication loaded = loadApplication();
            assemble(loaded);
            application = loaded;
        }
        return application;
    }

    /** A context holding the workbench's contribution factory (dispose it after use). */
    static IEclipseContext contributionContext() throws Exception {
        IEclipseContext context = EclipseContextFactory.getServiceContext(DialogDriver.CONTEXT).createChild("pages");
        Bundle workbench = DialogDriver.bundle("org.eclipse.e4.ui.workbench");
        context.set(IContributionFactory.class, (IContributionFactory) workbench
                .loadClass(INTERNAL + "ReflectionContributionFactory").getConstructor().newInstance());
        return context;
    }

    /** Reads Application.e4xmi the way the workbench does (its XMI resource keeps the ids). */
    static MApplication loadApplication() throws Exception {
        // Registers the model's EMF packages, as starting the workbench would.
        assertNotNull(MCommandsFactory.INSTANCE);
        assertNotNull(MMenuFactory.INSTANCE);
        assertNotNull(MFragmentFactory.INSTANCE);
        assertNotNull(MBasicFactory.INSTANCE);
        Bundle workbench = DialogDriver.bundle("org.eclipse.e4.ui.workbench");
        ResourceSetImpl resources = new ResourceSetImpl();
        resources.getResourceFactoryRegistry().getExtensionToFactoryMap().put(Resource.Factory.Registry.DEFAULT_EXTENSION,
                (Resource.Factory) workbench.loadClass(INTERNAL + "E4XMIResourceFactory").getConstructor().newInstance());
        String url = DialogDriver.bundle("org.p2pchat.ui").getEntry("Application.e4xmi").toString();
        return (MApplication) resources.getResource(URI.createURI(url), true).getContents().get(0);
    }

    /** The workbench's model assembler (an internal DS service), run on the application. */
    static void assemble(MApplication application) throws Exception {
        Bundle workbench = DialogDriver.bundle("org.eclipse.e4.ui.workbench");
        workbench.start(Bundle.START_TRANSIENT);
        ServiceTracker<Object, Object> tracker = new ServiceTracker<>(DialogDriver.CONTEXT, INTERNAL + "ModelAssembler",
                null);
        tracker.open();
        try {
            Object assembler = tracker.waitForService(10_000);
            assertNotNull(assembler, "the model assembler service");
            Class<?> type = assembler.getClass();
            type.getMethod("setExtensionRegistry", IExtensionRegistry.class).invoke(assembler,
                    RegistryFactory.getRegistry());
            IEclipseContext context = EclipseContextFactory.getServiceContext(DialogDriver.CONTEXT).createChild("model");
            type.getMethod("init", MApplication.class, IEclipseContext.class, UISynchronize.class).invoke(assembler,
                    application, context, new DisplayUISynchronize(Display.getDefault()));
            type.getMethod("processModel", boolean.class).invoke(assembler, true);
        } finally {
            tracker.close();
        }
    }
}
