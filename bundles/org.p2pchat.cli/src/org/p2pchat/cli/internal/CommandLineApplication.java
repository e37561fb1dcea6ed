package org.p2pchat.cli.internal;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.eclipse.equinox.app.IApplication;
import org.eclipse.equinox.app.IApplicationContext;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;
import org.p2pchat.client.core.ChatClient;
import org.p2pchat.client.core.ChatClientFactory;
import org.p2pchat.client.core.ClientEvent;
import org.p2pchat.client.core.ConnectionMethod;
import org.p2pchat.client.core.PasteExchange;
import org.p2pchat.core.files.FileTransferService;
import org.p2pchat.core.settings.SettingsStore;
import org.p2pchat.core.signaling.ProviderCapability;

/**
 * {@code p2pchat cli}: the scriptable command-line client, a view of the client layer: it opens a
 * {@link ChatClient} with what the command line says, prints its events and calls it.
 */
public final class CommandLineApplication implements IApplication {

    /** Services come up asynchronously through DS; this is how long we wait for them. */
    private static final long SERVICE_WAIT_SECONDS = 20;
    /** File transfer and the settings are optional here, and come up with the client layer. */
    private static final long OPTIONAL_WAIT_SECONDS = 5;

    @Override
    public Object start(IApplicationContext context) throws Exception {
        String[] args = (String[]) context.getArguments().getOrDefault(IApplicationContext.APPLICATION_ARGS, new String[0]);
        context.applicationRunning();
        PrintStream out = ProgramOutput.open();
        CliOptions options;
        PassphraseConsole passphrase;
        try {
            passphrase = PassphraseConsole.take(args);
            if (passphrase.isCommand()) {
                return passphrase.change(FrameworkUtil.getBundle(getClass()).getBundleContext(), out);
            }
            options = CliOptions.parse(passphrase.remaining());
        } catch (IllegalArgumentException e) {
            System.err.println("p2pchat cli: " + e.getMessage() + "\n\n" + CliOptions.USAGE);
            return 2;
        }
        EventPrinter print = new EventPrinter(out, System.err, options.json());
        BundleContext bundles = FrameworkUtil.getBundle(getClass()).getBundleContext();
        Integer locked = options.mode() == CliOptions.Mode.HELP ? null : passphrase.unlock(bundles, print);
        if (locked != null) {
            return locked; // the client layer needs the profile's history, which needs the passphrase
        }
        ChatClientFactory factory = service(bundles, ChatClientFactory.class, SERVICE_WAIT_SECONDS);
        if (options.mode() == CliOptions.Mode.HELP) {
            // With --json even the usage is a JSON line: stdout carries nothing else.
            String usage = CliOptions.USAGE + PassphraseConsole.USAGE + Methods.usage(factory);
            print.event("help", usage, "text", usage);
            return 0;
        }
        if (factory == null) {
            print.error("The client's services did not start (no chat client service); see the log (the profile's "
                    + "logs/cli.log, or run with --verbose).");
            return 1;
        }
        SettingsStore settings = service(bundles, SettingsStore.class, OPTIONAL_WAIT_SECONDS);
        if (settings != null) {
            settings.loadProblem().ifPresent(print::error);
        }
        ChatClient client;
        try {
            client = factory.open(options.clientOptions());
        } catch (IllegalStateException e) {
            print.error(e.getMessage());
            return 1;
        }
        try (client) {
            if (options.mode() == CliOptions.Mode.METHODS) {
                return Methods.list(client, print);
            }
            if (options.mode() == CliOptions.Mode.HISTORY) {
                return HistoryCommand.run(client, options.history(), print);
            }
            print.event("self", "* Your identity key: " + client.self().fingerprint(), "fingerprint",
                    client.self().fingerprint(), "id", client.self().key());
            ProviderCapability needed = options.mode().needs().orElseThrow();
            ConnectionMethod method = Methods.select(client, options.method(), needed, SERVICE_WAIT_SECONDS, print);
            // Said once the methods are there: a broken plug-in is named, the others work on.
            Methods.BrokenNotices broken = new Methods.BrokenNotices(print);
            broken.show(client.brokenProviders());
            if (method == null) {
                return 1;
            }
            return chat(bundles, client, method, options, broken, print);
        }
    }

    private static int chat(BundleContext bundles, ChatClient client, ConnectionMethod method, CliOptions options,
            Methods.BrokenNotices broken, EventPrinter print) throws Exception {
        // One thread prints the client's events, in order; the main thread reads input and calls the client.
        ExecutorService events = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "p2pchat-cli-events");
            t.setDaemon(true);
            return t;
        });
        ConsoleInput input = new ConsoleInput(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)),
                print);
        try (TransferConsole files = files(bundles, options, print)) {
            ChatConsole console = new ChatConsole(files, new DeliveryConsole(client, print), input, print, events);
            boolean paste = options.mode().needs().orElseThrow() == ProviderCapability.PASTE;
            MethodConsole viaMethod = paste ? null : new MethodConsole(client, method, options, console, input, print);
            try (AutoCloseable subscription = client.subscribe(events, event -> {
                switch (event) {
                    case ClientEvent.OfConversation e -> console.conversationEvent(e);
                    case ClientEvent.HistoryDeliveryChanged e -> console.historyDelivery(e);
                    case ClientEvent.TransferChanged e -> {
                        if (files != null) {
                            files.transferChanged(e.status());
                        }
                    }
                    case ClientEvent.ProvidersBroken e -> broken.show(e.providers());
                    default -> {
                        if (viaMethod != null) {
                            viaMethod.clientEvent(event);
                        }
                    }
                }
            });
                    AutoCloseable channels = client.subscribe(Runnable::run, event -> {
                        if (event instanceof ClientEvent.ChannelOpened e) {
                            console.channelOpened(e);
                        }
                    })) {
                return paste ? paste(client, method, options, console, input, print) : viaMethod.run();
            }
        } finally {
            events.shutdown();
            events.awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /** Offer or answer by copy and paste, then chat. */
    private static int paste(ChatClient client, ConnectionMethod method, CliOptions options, ChatConsole console,
            ConsoleInput input, EventPrinter print) throws InterruptedException {
        PasteExchange exchange;
        try {
            exchange = client.paste();
        } catch (IllegalStateException e) {
            print.error(e.getMessage());
            return 1;
        }
        if (!exchange.conversation().methodId().equals(method.id())) {
            exchange.conversation().leave();
            print.error("--method " + method.id() + ": offers and answers go through '"
                    + exchange.conversation().methodId() + "', the first copy-and-paste method installed.");
            return 1;
        }
        PasteConsole negotiation = new PasteConsole(exchange, options, input, print);
        console.adopt(exchange.conversation(), false, negotiation::remoteAppliedNanos);
        if (!negotiation.negotiate()) {
            return 1;
        }
        return console.chat(exchange.conversation());
    }

    /** File transfer of this profile, or null where the plug-in is not installed or no chat follows. */
    private static TransferConsole files(BundleContext bundles, CliOptions options, EventPrinter print)
            throws InterruptedException {
        if (options.mode() == CliOptions.Mode.PEERS) {
            return null;
        }
        FileTransferService service = service(bundles, FileTransferService.class, OPTIONAL_WAIT_SECONDS);
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
