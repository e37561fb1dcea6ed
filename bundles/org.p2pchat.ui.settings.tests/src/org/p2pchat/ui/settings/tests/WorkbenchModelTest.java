package org.p2pchat.ui.settings.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.eclipse.e4.core.contexts.ContextInjectionFactory;
import org.eclipse.e4.core.contexts.EclipseContextFactory;
import org.eclipse.e4.core.contexts.IEclipseContext;
import org.eclipse.e4.core.di.annotations.CanExecute;
import org.eclipse.e4.ui.model.application.MApplication;
import org.eclipse.e4.ui.model.application.MApplicationElement;
import org.eclipse.e4.ui.model.application.descriptor.basic.MPartDescriptor;
import org.eclipse.e4.ui.model.application.commands.MBindingTable;
import org.eclipse.e4.ui.model.application.commands.MCommand;
import org.eclipse.e4.ui.model.application.commands.MHandler;
import org.eclipse.e4.ui.model.application.commands.MKeyBinding;
import org.eclipse.e4.ui.model.application.ui.menu.MHandledMenuItem;
import org.eclipse.e4.ui.model.application.ui.menu.MMenu;
import org.junit.jupiter.api.Test;
import org.p2pchat.ui.settings.SettingsPages;
import org.p2pchat.ui.settings.internal.OpenSettingsHandler;

/**
 * The workbench's own model assembler merges the fragment into the desktop client's
 * Application.e4xmi as the client does on start: File gets "Settings…" right above Quit, and the command, its handler and Ctrl+, are in the application. The handler gets the
 * settings service injected.
 */
class WorkbenchModelTest {

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

    /** The rendezvous provider's UI bundle adds its page as a part descriptor, with no change to this bundle. */
    @Test
    void aProviderContributesItsPageAsATaggedPartDescriptor() throws Exception {
        MApplication application = loadApplication();
        assemble(application);

        MPartDescriptor page = find(application.getDescriptors(), "org.p2pchat.dht.ui.settings");
        assertEquals(List.of(SettingsPages.TAG), page.getTags());
        assertEquals("Rendezvous", page.getLabel());
        assertEquals("bundleclass://org.p2pchat.dht.ui/"
                + "org.p2pchat.dht.ui.internal.RendezvousSettingsPage", page.getContributionURI());
        assertTrue(OpenSettingsHandler.pages(application).contains(page), "the handler finds it");
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

    private static MApplication loadApplication() throws Exception {
        return Workbench.loadApplication();
    }

    private static void assemble(MApplication application) throws Exception {
        Workbench.assemble(application);
    }

    private static List<String> ids(List<? extends MApplicationElement> elements) {
        return elements.stream().map(MApplicationElement::getElementId).toList();
    }

    private static <T extends MApplicationElement> T find(List<T> elements, String id) {
        return elements.stream().filter(e -> id.equals(e.getElementId())).findFirst()
                .orElseThrow(() -> new AssertionError("no " + id + " in " + ids(elements)));
    }
}
