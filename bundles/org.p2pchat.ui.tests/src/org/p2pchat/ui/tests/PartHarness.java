package org.p2pchat.ui.tests;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.eclipse.e4.core.contexts.ContextInjectionFactory;
import org.eclipse.e4.core.contexts.EclipseContextFactory;
import org.eclipse.e4.core.contexts.IEclipseContext;
import org.eclipse.e4.ui.di.UISynchronize;
import org.eclipse.e4.ui.workbench.swt.DisplayUISynchronize;
import org.eclipse.swt.SWT;
import org.eclipse.swt.dnd.Clipboard;
import org.eclipse.swt.dnd.TextTransfer;
import org.eclipse.swt.dnd.Transfer;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.ImageLoader;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Menu;
import org.eclipse.swt.widgets.MenuItem;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.Widget;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;
import org.p2pchat.client.core.ChatClientFactory;
import org.p2pchat.client.core.internal.ChatClientService;
import org.p2pchat.core.PeerTransport;
import org.p2pchat.core.files.FileTransferService;
import org.p2pchat.core.identity.IdentityService;
import org.p2pchat.core.internal.identity.Ed25519IdentityService;
import org.p2pchat.core.signaling.ConnectionProvider;
import org.p2pchat.core.settings.Settings;
import org.p2pchat.core.settings.SettingsStore;
import org.p2pchat.ui.internal.parts.Ui;

/**
 * A part of the desktop client in a real shell, injected from an E4 context over the OSGi
 * services (as the workbench does), with services the test registers ranked above the real ones.
 */
final class PartHarness implements AutoCloseable {

    final BundleContext bundleContext = FrameworkUtil.getBundle(PartHarness.class).getBundleContext();
    final Display display;
    final Shell shell;
    private final IEclipseContext context;
    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();
    private MemorySettings profileSettings;
    private final List<ServiceTracker<?, ?>> trackers = new ArrayList<>();
    private IdentityService profileIdentity;

    PartHarness(String name) {
        assertTrue(System.getenv("DISPLAY") != null, "DISPLAY is not set: run the build under xvfb-run");
        display = Display.getDefault();
        shell = new Shell(display);
        shell.setText("P2P Chat");
        shell.setLayout(new FillLayout());
        context = EclipseContextFactory.getServiceContext(bundleContext).createChild(name);
        context.set(Composite.class, new Composite(shell, SWT.NONE));
        context.set(UISynchronize.class, new DisplayUISynchronize(display));
    }

    /** Gives parts made afterwards {@code value} for {@code type}, as the workbench's context would (e.g. the window). */
    <T> void put(Class<T> type, T value) {
        context.set(type, value);
    }

    <T> T make(Class<T> part, int width, int height) {
        T made = ContextInjectionFactory.make(part, context);
        shell.setSize(width, height);
        shell.open();
        return made;
    }

    /**
     * {@link #make} in a shell laid out as the product's main window is: a menu bar above the part
     * and the window's bottom trim (its progress area) below, so the part gets the room it gets
     * there in a window of {@code width} x {@code height}.
     */
    <T> T makeInWindow(Class<T> part, int width, int height) {
        Menu bar = new Menu(shell, SWT.BAR);
        MenuItem file = new MenuItem(bar, SWT.CASCADE);
        file.setText("&File");
        file.setMenu(new Menu(shell, SWT.DROP_DOWN));
        shell.setMenuBar(bar);
        shell.setLayout(new GridLayout(1, false));
        GridLayout layout = (GridLayout) shell.getLayout();
        layout.marginWidth = layout.marginHeight = layout.verticalSpacing = 0;
        Composite partArea = context.get(Composite.class);
        partArea.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
        Composite trim = new Composite(shell, SWT.NONE);
        trim.setLayoutData(new GridData(SWT.FILL, SWT.END, true, false));
        trim.setLayout(new FillLayout());
        IEclipseContext trimContext = context.createChild("trim");
        trimContext.set(Composite.class, trim);
        ContextInjectionFactory.make(org.p2pchat.ui.internal.parts.ProgressRegion.class, trimContext);
        T made = ContextInjectionFactory.make(part, context);
        shell.setSize(width, height);
        shell.open();
        shell.layout(true, true);
        return made;
    }

    /** The composite a part is made in, for a view the test makes itself; then {@link #open}. */
    Composite parent() {
        return context.get(Composite.class);
    }

    /** Shows the shell at {@code width} x {@code height} with what the test made in {@link #parent()}. */
    void open(int width, int height) {
        parent().setLayout(new FillLayout());
        shell.setSize(width, height);
        shell.open();
        shell.layout(true, true);
    }

    <S> ServiceRegistration<S> register(Class<S> type, S service) {
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(Constants.SERVICE_RANKING, Integer.MAX_VALUE);
        ServiceRegistration<S> registration = bundleContext.registerService(type, service, properties);
        registrations.add(registration);
        return registration;
    }

    void unregister(ServiceRegistration<?> registration) {
        registration.unregister();
        registrations.remove(registration);
    }

    /** Pumps the event loop until {@code condition} holds; fails after {@code seconds}. */
    void waitUntil(BooleanSupplier condition, long seconds, String what) {
        long deadline = System.currentTimeMillis() + seconds * 1000;
        while (!condition.getAsBoolean()) {
            assertTrue(System.currentTimeMillis() < deadline, "timed out after " + seconds + " s: " + what);
            if (!display.readAndDispatch()) {
                display.timerExec(20, () -> { });
                display.sleep();
            }
        }
    }

    /** Pumps the event loop until {@code value} has one, and returns it; fails after {@code seconds}. */
    <T> T waitFor(Supplier<T> value, long seconds, String what) {
        List<T> found = new ArrayList<>(1);
        waitUntil(() -> {
            T v = value.get();
            if (v != null) {
                found.add(v);
            }
            return v != null;
        }, seconds, what);
        return found.get(0);
    }

    /** Pumps the event loop while {@code future} (a blocking wait on another thread) runs. */
    <T> T await(Future<T> future, long seconds, String what) throws Exception {
        waitUntil(future::isDone, seconds, what);
        return future.get();
    }

    /** Lets pending layout and paint happen. */
    void settle(long millis) {
        long until = System.currentTimeMillis() + millis;
        waitUntil(() -> System.currentTimeMillis() >= until, millis / 1000 + 5, "settle");
    }

    /** The control with the widget id {@code id}, which must exist. */
    <T extends Widget> T byId(Class<T> type, String id) {
        T found = findById(shell, type, id);
        assertNotNull(found, "no " + type.getSimpleName() + " with id " + id);
        return found;
    }

    static <T extends Widget> T findById(Control root, Class<T> type, String id) {
        if (type.isInstance(root) && id.equals(root.getData(Ui.ID)) && !root.isDisposed()) {
            return type.cast(root);
        }
        if (root instanceof Composite composite) {
            for (Control child : composite.getChildren()) {
                T found = findById(child, type, id);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    static <T extends Control> List<T> find(Control root, Class<T> type) {
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

    /** Chooses the connection method called {@code displayName} in the Connect view's list, as a click would. */
    void chooseMethod(String displayName) {
        Table methods = find(shell, Table.class).get(0);
        waitUntil(() -> Arrays.stream(methods.getItems()).anyMatch(i -> i.getText().equals(displayName)), 10,
                "the method " + displayName + " is listed");
        for (int i = 0; i < methods.getItemCount(); i++) {
            if (methods.getItem(i).getText().equals(displayName)) {
                methods.setSelection(i);
                methods.notifyListeners(SWT.Selection, new Event());
                return;
            }
        }
    }

    static void click(Widget button) {
        button.notifyListeners(SWT.Selection, new Event());
    }

    /** A key press as the keyboard would deliver it to {@code control}. */
    static void key(Control control, int keyCode, char character, int stateMask) {
        Event e = new Event();
        e.keyCode = keyCode;
        e.character = character;
        e.stateMask = stateMask;
        e.doit = true;
        control.notifyListeners(SWT.KeyDown, e);
    }

    /** The text on the system clipboard (what a paste in another application would get); null if none. */
    String clipboardText() {
        Clipboard clipboard = new Clipboard(display);
        try {
            return (String) clipboard.getContents(TextTransfer.getInstance());
        } finally {
            clipboard.dispose();
        }
    }

    /** Puts {@code text} on the system clipboard, as copying it in another application would. */
    void setClipboardText(String text) {
        Clipboard clipboard = new Clipboard(display);
        try {
            clipboard.setContents(new Object[] { text }, new Transfer[] { TextTransfer.getInstance() });
        } finally {
            clipboard.dispose();
        }
    }

    /** Saves what the shell shows to target/screenshots/{@code name}.png. */
    Path screenshot(String name) throws Exception {
        return screenshot(shell, name);
    }

    /** Saves what {@code window} (the harness's shell or a dialog over it) shows to target/screenshots/{@code name}.png. */
    Path screenshot(Shell window, String name) throws Exception {
        settle(500);
        Rectangle area = window.getBounds();
        Image image = new Image(display, area.width, area.height);
        GC gc = new GC(display);
        try {
            gc.copyArea(image, area.x, area.y);
            ImageLoader loader = new ImageLoader();
            loader.data = new ImageData[] { image.getImageData() };
            Path dir = Files.createDirectories(Path.of(System.getProperty("p2pchat.test.output.dir", "target"), "screenshots"));
            Path file = dir.resolve(name + ".png");
            loader.save(file.toString(), SWT.IMAGE_PNG);
            return file;
        } finally {
            gc.dispose();
            image.dispose();
        }
    }

    /**
     * Registers a profile for the desktop client: settings in memory under {@code name} and an
     * identity of its own in {@code directory}, ranked above the test runtime's. The client layer's
     * factory binds them when the part first asks for it.
     */
    IdentityService registerProfile(String name, Path directory) throws java.io.IOException {
        profileSettings = new MemorySettings(name, directory);
        register(SettingsStore.class, profileSettings);
        profileIdentity = new Ed25519IdentityService(directory.resolve("identity"));
        register(IdentityService.class, profileIdentity);
        return profileIdentity;
    }

    /**
     * The client layer for the part, made here (not the framework's component, which binds the
     * transport it met first): on the profile of {@link #registerProfile}, over {@code transport},
     * with {@code providers} and the file transfer service registered now or later (bound the way
     * the component binds it). Registered above the framework's factory.
     */
    ChatClientService clientLayer(PeerTransport transport, ConnectionProvider... providers) {
        return clientLayer(transport, inMemoryHistory(), providers);
    }

    /** {@link #clientLayer(PeerTransport, ConnectionProvider...)} on {@code history}, which the test can fill or read. */
    ChatClientService clientLayer(PeerTransport transport, org.p2pchat.history.MessageHistory history,
            ConnectionProvider... providers) {
        ChatClientService layer = new ChatClientService(transport, profileIdentity, profileSettings, null, history);
        for (ConnectionProvider p : providers) {
            layer.register(p, 0);
        }
        ServiceTracker<FileTransferService, FileTransferService> files = new ServiceTracker<>(bundleContext,
                FileTransferService.class, null) {
            @Override
            public FileTransferService addingService(ServiceReference<FileTransferService> reference) {
                FileTransferService service = super.addingService(reference);
                bindFiles(layer, "setFiles", service);
                return service;
            }

            @Override
            public void removedService(ServiceReference<FileTransferService> reference, FileTransferService service) {
                bindFiles(layer, "unsetFiles", service);
                super.removedService(reference, service);
            }
        };
        files.open();
        trackers.add(files);
        register(ChatClientFactory.class, layer);
        return layer;
    }

    /** {@link #clientLayer} with every ConnectionProvider registered in the framework now, over its transport. */
    ChatClientService clientLayerOfTheFramework() throws Exception {
        PeerTransport transport = bundleContext.getService(bundleContext.getServiceReference(PeerTransport.class));
        return clientLayer(transport, bundleContext.getServiceReferences(ConnectionProvider.class, null).stream()
                .map(bundleContext::getService).toArray(ConnectionProvider[]::new));
    }

    /** What DS does with the component's dynamic file transfer reference. */
    private static void bindFiles(ChatClientService layer, String method, FileTransferService service) {
        try {
            Method bind = ChatClientService.class.getDeclaredMethod(method, FileTransferService.class);
            bind.setAccessible(true);
            bind.invoke(layer, service);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("the client layer's " + method + " is not there any more", e);
        }
    }

    /** The control with the widget id {@code id} that is visible now (one conversation's among several). */
    <T extends Control> T shownById(Class<T> type, String id) {
        T found = findShown(shell, type, id);
        assertNotNull(found, "no visible " + type.getSimpleName() + " with id " + id);
        return found;
    }

    private static <T extends Control> T findShown(Control root, Class<T> type, String id) {
        if (root.isDisposed() || !root.getVisible()) {
            return null;
        }
        if (type.isInstance(root) && id.equals(root.getData(Ui.ID))) {
            return type.cast(root);
        }
        if (root instanceof Composite composite) {
            for (Control child : composite.getChildren()) {
                T found = findShown(child, type, id);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    /** The profile of {@link #registerProfile}. */
    IdentityService profileIdentity() {
        return profileIdentity;
    }

    MemorySettings profileSettings() {
        return profileSettings;
    }

    @Override
    public void close() {
        context.dispose(); // the part closes its client first, then the services go
        shell.dispose();
        trackers.forEach(ServiceTracker::close);
        new ArrayList<>(registrations).forEach(this::unregister);
    }

    /** Settings in memory: a name, no ICE servers (tests never use public STUN servers). */
    static final class MemorySettings implements SettingsStore {

        private final Path directory;
        /** The plug-ins' sections, as the values they wrote (a test writes them as the plug-in would). */
        private final java.util.Map<String, Object> sections = new java.util.concurrent.ConcurrentHashMap<>();
        private volatile Settings settings;

        MemorySettings(String username, Path directory) {
            this.directory = directory;
            this.settings = Settings.defaults().withUsername(username).withIceServers(List.of());
        }

        @Override
        public Path profileDirectory() {
            return directory;
        }

        @Override
        public Settings get() {
            return settings;
        }

        @Override
        public void save(Settings s) {
            settings = s;
        }

        @Override
        public Optional<String> loadProblem() {
            return Optional.empty();
        }

        @Override
        public org.p2pchat.core.settings.SettingsSection section(String id) {
            return new org.p2pchat.core.settings.SettingsSection() {
                @Override
                public String id() {
                    return id;
                }

                @Override
                public <T> T read(Class<T> type, Supplier<T> defaults) {
                    Object value = sections.get(id);
                    return type.isInstance(value) ? type.cast(value) : defaults.get();
                }

                @Override
                public void write(Object value) {
                    sections.put(id, value);
                }
            };
        }
    }

    /**
     * A history in memory, from the framework's history service (waited for: the history bundle is
     * activated lazily, by the first use of its classes, and its component comes a moment later).
     */
    static org.p2pchat.history.MessageHistory inMemoryHistory() {
        BundleContext context = FrameworkUtil.getBundle(PartHarness.class).getBundleContext();
        ServiceTracker<org.p2pchat.history.HistoryService, org.p2pchat.history.HistoryService> tracker =
                new ServiceTracker<>(context, org.p2pchat.history.HistoryService.class, null);
        tracker.open();
        try {
            org.p2pchat.history.HistoryService service = tracker.waitForService(60_000);
            if (service == null) {
                throw new IllegalStateException("no history service");
            }
            return service.openInMemory();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the history service", e);
        } finally {
            tracker.close();
        }
    }

}
