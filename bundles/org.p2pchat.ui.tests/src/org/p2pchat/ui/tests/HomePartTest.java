package org.p2pchat.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import org.eclipse.e4.core.contexts.ContextInjectionFactory;
import org.eclipse.e4.core.contexts.EclipseContextFactory;
import org.eclipse.e4.core.contexts.IEclipseContext;
import org.eclipse.e4.ui.di.UISynchronize;
import org.eclipse.e4.ui.workbench.swt.DisplayUISynchronize;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Table;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;
import org.p2pchat.core.settings.Settings;
import org.p2pchat.core.settings.SettingsStore;
import org.p2pchat.core.signaling.SignalingProvider;

/**
 * The home part in a plain shell, with services registered by the test: it shows the username
 * and follows SignalingProvider services as they come and go.
 */
class HomePartTest {

    private static final String HOME_PART = "org.p2pchat.ui.internal.parts.HomePart";

    private final BundleContext bundleContext = FrameworkUtil.getBundle(HomePartTest.class).getBundleContext();
    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();
    private Display display;
    private Shell shell;
    private IEclipseContext context;

    @BeforeEach
    void createShell() {
        assertTrue(System.getenv("DISPLAY") != null, "DISPLAY is not set: run the build under xvfb-run");
        display = Display.getDefault();
        shell = new Shell(display);
        shell.setLayout(new FillLayout());
        context = EclipseContextFactory.getServiceContext(bundleContext).createChild("HomePartTest");
        context.set(Composite.class, new Composite(shell, SWT.NONE));
        context.set(UISynchronize.class, new DisplayUISynchronize(display));
    }

    @AfterEach
    void dispose() {
        registrations.forEach(ServiceRegistration::unregister);
        context.dispose();
        shell.dispose();
    }

    @Test
    void showsUsernameAndFollowsConnectionMethods() throws Exception {
        register(SettingsStore.class, new FixedSettings("alice"));
        Bundle ui = Arrays.stream(bundleContext.getBundles())
                .filter(b -> "org.p2pchat.ui".equals(b.getSymbolicName())).findFirst().orElseThrow();
        ContextInjectionFactory.make(ui.loadClass(HOME_PART), context);
        shell.setSize(800, 600);
        shell.open();
        Table methods = find(shell, Table.class).get(0);

        assertTrue(texts(shell).contains("alice"), "username shown: " + texts(shell));
        assertEquals(0, methods.getItemCount());

        ServiceRegistration<SignalingProvider> late = register(SignalingProvider.class,
                new Method("test", "Carrier pigeon", "Ties the offer to a bird."));
        waitUntil(() -> methods.getItemCount() == 1, "the method registered later is listed");
        assertEquals("Carrier pigeon", methods.getItem(0).getText());
        assertTrue(texts(shell).contains("Ties the offer to a bird."), "its description is shown");
        assertTrue(texts(shell).contains("Ready. 1 connection method available."), "status: " + texts(shell));

        late.unregister();
        registrations.remove(late);
        waitUntil(() -> methods.getItemCount() == 0, "the unregistered method is gone");
    }

    private <S> ServiceRegistration<S> register(Class<S> type, S service) {
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(Constants.SERVICE_RANKING, Integer.MAX_VALUE);
        ServiceRegistration<S> registration = bundleContext.registerService(type, service, properties);
        registrations.add(registration);
        return registration;
    }

    private void waitUntil(BooleanSupplier condition, String what) {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!condition.getAsBoolean()) {
            assertTrue(System.currentTimeMillis() < deadline, "timed out: " + what);
            if (!display.readAndDispatch()) {
                display.timerExec(20, () -> { });
                display.sleep();
            }
        }
    }

    private static <T extends Control> List<T> find(Control root, Class<T> type) {
        List<T> found = new ArrayList<>();
        if (type.isInstance(root)) {
            found.add(type.cast(root));
        }
        if (root instanceof Composite composite) {
            for (Control child : composite.getChildren()) {
                found.addAll(find(child, type));
            }
        }
        return found;
    }

    private static List<String> texts(Control root) {
        return find(root, Label.class).stream().map(Label::getText).toList();
    }

    private record Method(String id, String displayName, String description) implements SignalingProvider {
    }

    private record FixedSettings(String username) implements SettingsStore {

        @Override
        public Path profileDirectory() {
            return Path.of("/nonexistent/profile");
        }

        @Override
        public Settings get() {
            return Settings.defaults().withUsername(username);
        }

        @Override
        public void save(Settings settings) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<String> loadProblem() {
            return Optional.empty();
        }
    }
}
