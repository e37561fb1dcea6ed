package org.p2pchat.cli.internal;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.eclipse.equinox.app.IApplication;
import org.eclipse.equinox.app.IApplicationContext;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;
import org.p2pchat.core.IceServer;
import org.p2pchat.core.PeerSession;
import org.p2pchat.core.PeerTransport;
import org.p2pchat.core.SessionConfig;
import org.p2pchat.core.SessionException;
import org.p2pchat.core.files.FileTransferService;
import org.p2pchat.core.identity.IdentityService;
import org.p2pchat.core.settings.Settings;
import org.p2pchat.core.settings.SettingsStore;
import org.p2pchat.signaling.dht.DhtSettings;
import org.p2pchat.core.signaling.DirectoryOptions;
import org.p2pchat.core.signaling.DirectorySignalingProvider;
import org.p2pchat.core.signaling.TextSignalingProvider;

/** {@code p2pchat cli}: the scriptable command-line client. */
public final class CommandLineApplication implements IApplication {

    /** Services come up asynchronously through DS; this is how long we wait for them. */
    private static final long SERVICE_WAIT_SECONDS = 20;
    /** File transfer is optional, and comes up right after the settings it needs. */
    private static final long FILES_WAIT_SECONDS = 5;

    @Override
    public Object start(IApplicationContext context) throws Exception {
        String[] args = (String[]) context.getArguments().getOrDefault(IApplicationContext.APPLICATION_ARGS, new String[0]);
        context.applicationRunning();
        PrintStream out = ProgramOutput.open();
        CliOptions options;
        try {
            options = CliOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("p2pchat cli: " + e.getMessage() + "\n\n" + CliOptions.USAGE);
            return 2;
        }
        EventPrinter print = new EventPrinter(out, System.err, options.json());
        if (options.mode() == CliOptions.Mode.HELP) {
            // With --json even the usage is a JSON line: stdout carries nothing else.
            print.event("help", CliOptions.USAGE, "text", CliOptions.USAGE);
            return EXIT_OK;
        }
        BundleContext bundles = FrameworkUtil.getBundle(getClass()).getBundleContext();
        SettingsStore settings = service(bundles, SettingsStore.class);
        PeerTransport transport = service(bundles, PeerTransport.class);
        TextSignalingProvider manual = service(bundles, TextSignalingProvider.class);
        IdentityService identity = service(bundles, IdentityService.class);
        if (settings == null || transport == null || manual == null || identity == null) {
            print.error("The client's services did not start (settings " + (settings != null) + ", transport "
                    + (transport != null) + ", manual exchange " + (manual != null) + ", identity " + (identity != null)
                    + "); see the log (the profile's logs/cli.log, or run with --verbose).");
            return 1;
        }
        settings.loadProblem().ifPresent(print::error);
        Settings s = settings.get();
        String name = options.name() != null ? options.name()
                : !s.username().isBlank() ? s.username() : System.getProperty("user.name", "someone");
        List<IceServer> ice = options.iceFromProfile() ? s.enabledIceServers() : options.iceServers();
        SessionConfig sessionConfig = new SessionConfig(ice, name, s.maxMessageBytes());
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        print.event("self", "* Your identity key: " + identity.self().fingerprint(), "fingerprint",
                identity.self().fingerprint(), "id", identity.self().key());
        try (TransferConsole files = files(bundles, options, print)) {
            if (options.viaDirectory()) {
                return viaDirectory(bundles, options, settings, name, sessionConfig,
                        new ChatConsole(null, files, identity, options, name, in, print), print);
            }
            PeerSession session;
            try {
                session = transport.createSession(sessionConfig);
            } catch (SessionException e) {
                print.error(e.getMessage());
                return 1;
            }
            try (session) {
                return new ChatConsole(manual, files, identity, options, name, in, print).runManual(session);
            }
        }
    }

    /**
     * File transfer of this profile (the service keeps its transfer list in the profile folder),
     * or null where the plug-in is not installed or no chat follows (listing peers).
     */
    private static TransferConsole files(BundleContext bundles, CliOptions options, EventPrinter print)
            throws InterruptedException {
        if (options.mode() == CliOptions.Mode.PEERS) {
            return null;
        }
        FileTransferService service = service(bundles, FileTransferService.class, FILES_WAIT_SECONDS);
        if (service == null) {
            if (options.acceptFilesInto() != null) {
                print.error("--accept-files: this client has no file transfer installed (org.p2pchat.files.bt).");
            }
            return null;
        }
        TransferConsole files = new TransferConsole(service, print, options.acceptFilesInto());
        files.start();
        return files;
    }

    private static int viaDirectory(BundleContext bundles, CliOptions options, SettingsStore settings, String name,
            SessionConfig sessionConfig, ChatConsole console, EventPrinter print) throws InterruptedException {
        DirectorySignalingProvider directory = service(bundles, DirectorySignalingProvider.class);
        if (directory == null) {
            print.error("No rendezvous (DHT) provider is installed in this client.");
            return 1;
        }
        List<URI> services = !options.rendezvous().isEmpty() ? options.rendezvous()
                : settings.section(DhtSettings.SECTION).read(DhtSettings.class, DhtSettings::defaults)
                        .enabledServices();
        if (services.isEmpty()) {
            print.error("No rendezvous service is enabled: add one in Settings or pass --rendezvous URL.");
            return 1;
        }
        DirectoryOptions directoryOptions = new DirectoryOptions(services, name, options.listed(), sessionConfig);
        return new DirectoryExchange(directory, directoryOptions, options, console, print).run();
    }

    private static <T> T service(BundleContext context, Class<T> type) throws InterruptedException {
        return service(context, type, SERVICE_WAIT_SECONDS);
    }

    private static <T> T service(BundleContext context, Class<T> type, long waitSeconds) throws InterruptedException {
        ServiceTracker<T, T> tracker = new ServiceTracker<>(context, type, null);
        tracker.open();
        // The tracker stays open: closing it would release the service while we use it.
        return tracker.waitForService(TimeUnit.SECONDS.toMillis(waitSeconds));
    }

    @Override
    public void stop() {
        // Ends with its input or /quit; nothing to interrupt.
    }
}
