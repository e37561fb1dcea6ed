package org.p2pchat.client.core.tests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;
import org.p2pchat.client.core.ChatClient;
import org.p2pchat.client.core.ClientOptions;
import org.p2pchat.client.core.internal.ChatClientService;
import org.p2pchat.core.PeerTransport;
import org.p2pchat.history.HistoryService;
import org.p2pchat.history.MessageHistory;
import org.p2pchat.core.files.FileTransferService;
import org.p2pchat.core.identity.IdentityService;
import org.p2pchat.core.internal.identity.Ed25519IdentityService;
import org.p2pchat.core.internal.settings.JsonSettingsStore;
import org.p2pchat.core.settings.Settings;
import org.p2pchat.core.settings.SettingsStore;
import org.p2pchat.core.signaling.ConnectionProvider;
import org.p2pchat.testing.provider.FolderMailboxProvider;

/**
 * One person's client in the test framework: a profile folder of its own (identity, contacts,
 * settings without STUN servers, so only host candidates inside the test network), a client
 * factory on it with the given providers, and a recorder of its events.
 */
final class Peers {

    private Peers() {
    }

    /** A person: the parts of a profile, its factory and one open client. */
    record Person(String name, Path profile, IdentityService identity, SettingsStore settings,
            ChatClientService factory, ChatClient client, Events events, MessageHistory history) implements AutoCloseable {

        @Override
        public void close() {
            client.close();
        }
    }

    static Person person(String name, Path profile, FileTransferService files, ConnectionProvider... providers)
            throws Exception {
        Files.createDirectories(profile);
        IdentityService identity = new Ed25519IdentityService(profile);
        SettingsStore settings = new JsonSettingsStore(profile);
        settings.save(Settings.defaults().withUsername(name).withIceServers(List.of()));
        return open(name, profile, identity, settings, files, providers);
    }

    /** A client on an existing profile's parts (a second run, or a reinstalled client). */
    static Person open(String name, Path profile, IdentityService identity, SettingsStore settings,
            FileTransferService files, ConnectionProvider... providers) throws Exception {
        return open(name, profile, identity, settings, files, service(HistoryService.class).openInMemory(), providers);
    }

    /** A client on an existing profile's parts and {@code history} (kept on disk for a restart). */
    static Person open(String name, Path profile, IdentityService identity, SettingsStore settings,
            FileTransferService files, MessageHistory history, ConnectionProvider... providers) throws Exception {
        ChatClientService factory = new ChatClientService(service(PeerTransport.class), identity, settings, files,
                history);
        int ranking = providers.length;
        for (ConnectionProvider p : providers) {
            factory.register(p, ranking--);
        }
        ChatClient client = factory.open(ClientOptions.fromProfile());
        Events events = new Events(name);
        client.subscribe(Runnable::run, events);
        return new Person(name, profile, identity, settings, factory, client, events, history);
    }

    /**
     * A fresh identity in {@code profile} (as after reinstalling): the profile's vault, where the
     * key is kept, is moved away.
     */
    /**
     * A person whose profile and history are kept in {@code profile} (opened again after
     * {@link #restart}); both are pushed on {@code open} to be closed after the test.
     */
    static Person onDisk(String name, Path profile, HistoryService histories, ConnectionProvider provider,
            java.util.Deque<AutoCloseable> open) throws Exception {
        boolean existed = Files.exists(profile);
        Files.createDirectories(profile);
        IdentityService identity = new Ed25519IdentityService(profile);
        SettingsStore settings = new JsonSettingsStore(profile);
        if (!existed) {
            settings.save(Settings.defaults().withUsername(name).withIceServers(List.of()));
        }
        MessageHistory history = histories.open(profile, java.util.Optional.empty());
        Person person = open(name, profile, identity, settings, null, history, provider);
        open.push(history);
        open.push(person);
        return person;
    }

    /** Closes a person's client and history (the process ends). */
    static void restart(Person person) {
        person.client().close();
        person.history().close();
    }

    static IdentityService newIdentity(Path profile) throws IOException {
        try (var entries = Files.list(profile)) {
            for (Path p : entries.filter(p -> p.getFileName().toString().startsWith("secrets")
                    || p.getFileName().toString().equals("vault.json")).toList()) {
                Files.move(p, p.resolveSibling(p.getFileName() + ".old"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return new Ed25519IdentityService(profile);
    }

    /**
     * The real test provider (a folder mailbox, written against the SPI alone) as registered in the
     * framework, with someone in between who changes nothing until a test says so.
     */
    static InTheMiddle folderProvider() throws Exception {
        return new InTheMiddle(provider(FolderMailboxProvider.ID));
    }

    /** Alice and Bob with the test provider, through {@code mailbox}, online in one folder. */
    record Pair(InTheMiddle mailbox, Person alice, Person bob) {

        /** Profiles and the folder they meet in under {@code work}. */
        static Pair inAFolder(Path work) throws Exception {
            InTheMiddle mailbox = folderProvider();
            Person alice = person("alice", work.resolve("alice"), null, mailbox);
            Person bob = person("bob", work.resolve("bob"), null, mailbox);
            meetOnline(work.resolve("mailbox"), alice, bob);
            return new Pair(mailbox, alice, bob);
        }
    }

    /** Makes {@code people} meet in {@code folder} and go online with the test provider there. */
    static void meetOnline(Path folder, Person... people) throws IOException {
        for (Person p : people) {
            meetIn(p, folder);
            p.client().goOnline(FolderMailboxProvider.ID);
        }
    }

    /** Makes {@code person} meet others in {@code folder}: the test provider's section in its profile. */
    static void meetIn(Person person, Path folder) throws IOException {
        Files.createDirectories(folder);
        person.settings().section(FolderMailboxProvider.ID).write(new FolderMailboxProvider.Settings(folder.toString()));
    }

    /** The manual exchange as registered in the framework. */
    static ConnectionProvider manual() throws Exception {
        return provider("manual");
    }

    static ConnectionProvider provider(String id) throws Exception {
        // Providers activate lazily, on first use of a class: start them so that DS registers theirs.
        for (org.osgi.framework.Bundle b : FrameworkUtil.getBundle(Peers.class).getBundleContext().getBundles()) {
            if (b.getSymbolicName().startsWith("org.p2pchat.signaling.")
                    || b.getSymbolicName().startsWith("org.p2pchat.testing.provider")) {
                b.start();
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        ServiceTracker<ConnectionProvider, ConnectionProvider> tracker = new ServiceTracker<>(
                FrameworkUtil.getBundle(Peers.class).getBundleContext(), ConnectionProvider.class, null);
        tracker.open();
        try {
            while (System.nanoTime() < deadline) {
                Object[] all = tracker.getServices();
                if (all != null) {
                    for (Object o : all) {
                        if (((ConnectionProvider) o).id().equals(id)) {
                            return (ConnectionProvider) o;
                        }
                    }
                }
                Thread.sleep(100);
            }
            throw new AssertionError("no connection provider '" + id + "' is registered");
        } finally {
            tracker.close();
        }
    }

    static <T> T service(Class<T> type) throws InterruptedException {
        ServiceTracker<T, T> tracker = new ServiceTracker<>(FrameworkUtil.getBundle(Peers.class).getBundleContext(),
                type, null);
        tracker.open();
        T s = tracker.waitForService(TimeUnit.SECONDS.toMillis(60));
        if (s == null) {
            throw new AssertionError("no " + type.getSimpleName() + " service");
        }
        return s;
    }
}
