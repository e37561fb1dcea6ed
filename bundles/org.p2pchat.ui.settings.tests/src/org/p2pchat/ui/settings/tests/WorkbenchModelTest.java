package org.p2pchat.ui.settings.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;

import org.eclipse.core.runtime.RegistryFactory;
import org.eclipse.e4.core.contexts.ContextInjectionFactory;
import org.eclipse.e4.core.contexts.EclipseContextFactory;
import org.eclipse.e4.core.contexts.IEclipseContext;
import org.eclipse.e4.core.di.annotations.CanExecute;
import org.eclipse.e4.ui.di.UISynchronize;
import org.eclipse.e4.ui.model.application.MApplication;
import org.eclipse.e4.ui.model.application.MApplicationElement;
import org.eclipse.e4.ui.model.application.commands.MBindingTable;
import org.eclipse.e4.ui.model.application.commands.MCommand;
import org.eclipse.e4.ui.model.application.commands.MCommandsFactory;
import org.eclipse.e4.ui.model.application.commands.MHandler;
import org.eclipse.e4.ui.model.application.commands.MKeyBinding;
import org.eclipse.e4.ui.model.application.ui.menu.MHandledMenuItem;
import org.eclipse.e4.ui.model.application.ui.menu.MMenu;
import org.eclipse.e4.ui.model.application.ui.menu.MMenuFactory;
import org.eclipse.e4.ui.model.fragment.MFragmentFactory;
import org.eclipse.e4.ui.workbench.swt.DisplayUISynchronize;
import org.eclipse.emf.common.util.URI;
import org.eclipse.emf.ecore.resource.Resource;
import org.eclipse.emf.ecore.resource.impl.ResourceSetImpl;
import org.eclipse.swt.widgets.Display;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The workbench's own model assembler merges the fragment into the desktop client's
 * Application.e4xmi as the client does on start: File gets "Settings…" right above Quit, and the command, its handler and Ctrl+, are in the application. The handler gets the
 * settings service injected.
 */
class WorkbenchModelTest {

    private static final String INTERNAL = "org.eclipse.e4.ui.internal.workbench.";
    private static final String HANDLER = "org.p2pchat.ui.settings.internal.OpenSettingsHandler";

    @Test
    void theFragmentIsMergedBeforeQuit() throws Exception {
        MApplication application = loadApplication();
        assemble(application);

        MMenu file = (MMenu) application.getChildren().get(0).getMainMenu().getChildren().get(0);
        List<String> items = ids(file.getChildren());
        int settings = items.indexOf("org.p2pchat.ui.settings.menuitem.open");
        assertEquals(items.indexOf("org.p2pchat.ui.menuitem.quit") - 1, settings, "right above Quit: " + items);
        MHandledMenuItem item = (MHandledMenuItem) file.getChildren().get(settings);
        assertEquals("&Settings…", item.getLabel());
        MCommand command = item.getCommand();
        assertSame(command, find(application.getCommands(), "org.p2pchat.ui.settings.command.open"));

        MHandler handler = find(application.getHandlers(), "org.p2pchat.ui.settings.handler.open");
        assertSame(command, handler.getCommand());
        assertEquals("bundleclass://org.p2pchat.ui.settings/" + HANDLER, handler.getContributionURI());

        MBindingTable window = find(application.getBindingTables(), "org.p2pchat.ui.bindings.window");
        MKeyBinding binding = find(window.getBindings(), "org.p2pchat.ui.settings.binding.open");
        assertEquals("M1+,", binding.getKeySequence());
        assertSame(command, binding.getCommand());
    }

    @Test
    void theHandlerGetsTheSettingsServiceInjected() throws Exception {
        IEclipseContext context = EclipseContextFactory.getServiceContext(DialogDriver.CONTEXT).createChild("test");
        try {
            Object handler = ContextInjectionFactory.make(
                    DialogDriver.bundle("org.p2pchat.ui.settings").loadClass(HANDLER), context);
            assertEquals(Boolean.TRUE, ContextInjectionFactory.invoke(handler, CanExecute.class, context));
        } finally {
            context.dispose();
        }
    }

    /** Reads Application.e4xmi the way the workbench does (its XMI resource keeps the ids). */
    private static MApplication loadApplication() throws Exception {
        // Registers the model's EMF packages, as starting the workbench would.
        assertNotNull(MCommandsFactory.INSTANCE);
        assertNotNull(MMenuFactory.INSTANCE);
        assertNotNull(MFragmentFactory.INSTANCE);
        Bundle workbench = DialogDriver.bundle("org.eclipse.e4.ui.workbench");
        ResourceSetImpl resources = new ResourceSetImpl();
        resources.getResourceFactoryRegistry().getExtensionToFactoryMap().put(Resource.Factory.Registry.DEFAULT_EXTENSION,
                (Resource.Factory) workbench.loadClass(INTERNAL + "E4XMIResourceFactory").getConstructor().newInstance());
        String url = DialogDriver.bundle("org.p2pchat.ui").getEntry("Application.e4xmi").toString();
        return (MApplication) resources.getResource(URI.createURI(url), true).getContents().get(0);
    }

    /** The workbench's model assembler (an internal DS service), run on the application. */
    private static void assemble(MApplication application) throws Exception {
        Bundle workbench = DialogDriver.bundle("org.eclipse.e4.ui.workbench");
        workbench.start(Bundle.START_TRANSIENT);
        ServiceTracker<Object, Object> tracker = new ServiceTracker<>(DialogDriver.CONTEXT, INTERNAL + "ModelAssembler",
                null);
        tracker.open();
        try {
            Object assembler = tracker.waitForService(10_000);
            assertNotNull(assembler, "the model assembler service");
            Class<?> type = assembler.getClass();
            type.getMethod("setExtensionRegistry", org.eclipse.core.runtime.IExtensionRegistry.class)
                    .invoke(assembler, RegistryFactory.getRegistry());
            IEclipseContext context = EclipseContextFactory.getServiceContext(DialogDriver.CONTEXT).createChild("model");
            type.getMethod("init", MApplication.class, IEclipseContext.class, UISynchronize.class).invoke(assembler,
                    application, context, new DisplayUISynchronize(Display.getDefault()));
            type.getMethod("processModel", boolean.class).invoke(assembler, true);
        } finally {
            tracker.close();
        }
    }

    private static List<String> ids(List<? extends MApplicationElement> elements) {
        return elements.stream().map(MApplicationElement::getElementId).toList();
    }

    private static <T extends MApplicationElement> T find(List<T> elements, String id) {
        return elements.stream().filter(e -> id.equals(e.getElementId())).findFirst()
                .orElseThrow(() -> new AssertionError("no " + id + " in " + ids(elements)));
    }
}
