package org.p2pchat.ui.settings.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Link;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.TabFolder;
import org.eclipse.swt.widgets.TabItem;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.Text;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.core.files.FileSettings;
import org.p2pchat.core.internal.settings.JsonSettingsStore;
import org.p2pchat.core.settings.IceServerEntry;
import org.p2pchat.core.settings.ServiceEntry;
import org.p2pchat.core.settings.Settings;
import org.p2pchat.core.settings.SettingsSection;
import org.p2pchat.core.settings.SettingsStore;
import org.p2pchat.signaling.dht.DhtSettings;

/**
 * The settings dialog with the real settings store of the test runtime (its profile is under
 * target/) and the pages the application model contributes (the rendezvous provider's, and this
 * bundle's test page): what a user changes is saved on OK and only then, each page in its own
 * part of the profile, invalid entries are refused while typing, and deleting or restoring
 * defaults can be undone.
 */
class SettingsDialogTest {

    static final Settings BASELINE = Settings.defaults().withUsername("tester")
            .withIceServers(List.of(
                    new IceServerEntry("Loopback STUN", "stun:127.0.0.1:3478", "", "", true, false),
                    new IceServerEntry("Loopback TURN", "turn:127.0.0.1:3478?transport=tcp", "alice", "secret", false,
                            false)));
    static final DhtSettings DHT = new DhtSettings(
            List.of(new ServiceEntry("Own rendezvous", "http://127.0.0.1:3479", true, false)));
    static final FileSettings FILES = new FileSettings(
            List.of(new ServiceEntry("Own tracker", "ws://127.0.0.1:8000", true, false)));

    /** What the profile holds: the client's settings and the sections of the pages. */
    record Profile(Settings settings, DhtSettings dht, FileSettings files, ContributedTestPage.TestPluginSettings test) {
        static Profile of(SettingsStore store) {
            return new Profile(store.get(),
                    store.section(DhtSettings.SECTION).read(DhtSettings.class, DhtSettings::defaults),
                    store.section(FileSettings.SECTION).read(FileSettings.class, FileSettings::defaults),
                    store.section(ContributedTestPage.SECTION).read(ContributedTestPage.TestPluginSettings.class,
                            ContributedTestPage.TestPluginSettings::defaults));
        }
    }

    static final Profile BASELINE_PROFILE = new Profile(BASELINE, DHT, FILES,
            new ContributedTestPage.TestPluginSettings("hi"));

    /** Saves {@link #BASELINE_PROFILE} into {@code store}. */
    static void saveBaseline(SettingsStore store) throws IOException {
        store.save(BASELINE);
        store.section(DhtSettings.SECTION).write(DHT);
        store.section(FileSettings.SECTION).write(FILES);
        store.section(ContributedTestPage.SECTION).write(BASELINE_PROFILE.test());
    }

    private SettingsStore store;
    private DialogDriver ui;

    @BeforeEach
    void open() throws Exception {
        store = DialogDriver.store();
        saveBaseline(store);
        ui = new DialogDriver();
        ui.open(store, DialogDriver.transport());
    }

    @AfterEach
    void close() {
        ui.close();
    }

    /** What a fresh store reads from the profile's file. */
    private Settings onDisk() throws IOException {
        return profileOnDisk().settings();
    }

    private Profile profileOnDisk() throws IOException {
        return Profile.of(new JsonSettingsStore(store.profileDirectory()));
    }

    private void pressOk() {
        ui.click(DialogDriver.dialogButton(ui.shell(), DialogDriver.OK));
    }

    @Test
    void anAddedStunServerIsSavedOnOk() throws Exception {
        ui.click(ui.button("ice", "add"));
        Shell entry = ui.fillEntry("name", "Test STUN", "url", "stun:127.0.0.1:19302");
        ui.click(DialogDriver.dialogButton(entry, DialogDriver.OK));

        assertTrue(entry.isDisposed(), "the entry dialog closed");
        Table table = ui.table("ice");
        assertEquals(List.of("Loopback STUN", "Loopback TURN", "Test STUN"),
                DialogDriver.column(table, DialogDriver.columnIndex(table, "Name")));
        assertEquals(BASELINE, onDisk(), "nothing saved before OK");

        pressOk();
        assertNull(ui.dialog.getShell(), "the dialog closed");
        IceServerEntry added = new IceServerEntry("Test STUN", "stun:127.0.0.1:19302", "", "", true, false);
        assertEquals(added, onDisk().iceServers().get(2));
        assertEquals(onDisk(), store.get(), "the running profile has the new settings too");
    }

    @Test
    void theUsernameIsTrimmedAndSaved() throws Exception {
        ui.type(DialogDriver.find(ui.shell(), Text.class, "username"), "  Alice Liddell ");
        pressOk();
        assertEquals("Alice Liddell", onDisk().username());
    }

    @Test
    void aTurnServerWithoutCredentialIsRefusedAtTheField() {
        ui.click(ui.button("ice", "add"));
        Shell entry = ui.fillEntry("name", "My TURN", "url", "turn:127.0.0.1:3478", "username", "bob");
        Button ok = DialogDriver.dialogButton(entry, DialogDriver.OK);

        assertEquals("a TURN server needs a username and a credential", DialogDriver.message(entry, "credential"));
        assertEquals(SWT.COLOR_RED, redOrNot(DialogDriver.find(entry, Label.class, "credential.message")));
        assertFalse(ok.isEnabled(), "OK disabled while the credential is missing");

        ui.fillEntry("credential", "pw");
        assertTrue(ok.isEnabled(), "OK enabled once it is given");
        assertFalse(DialogDriver.message(entry, "credential").contains("needs"));
        ui.click(ok);
        assertEquals("My TURN", ui.table("ice").getItem(2).getText(DialogDriver.columnIndex(ui.table("ice"), "Name")));
    }

    private static int redOrNot(Label label) {
        return label.getForeground().getRed() > 150 && label.getForeground().getGreen() < 80 ? SWT.COLOR_RED : -1;
    }

    @Test
    void badUrlsAreRefused() {
        ui.click(ui.button("ice", "add"));
        Shell entry = ui.fillEntry("name", "Typo");
        Button ok = DialogDriver.dialogButton(entry, DialogDriver.OK);
        assertFalse(ok.isEnabled());
        assertFalse(DialogDriver.message(entry, "url").startsWith("URL must"), "no complaint before the URL is typed");

        ui.fillEntry("url", "http://127.0.0.1:3478");
        assertTrue(DialogDriver.message(entry, "url").startsWith("URL must look like stun:"),
                DialogDriver.message(entry, "url"));
        assertFalse(ok.isEnabled());
        ui.fillEntry("url", "stun:127.0.0.1:99999");
        assertEquals("port must be between 1 and 65535", DialogDriver.message(entry, "url"));
        assertFalse(ok.isEnabled());
        ui.click(DialogDriver.dialogButton(entry, DialogDriver.CANCEL));

        ui.click(ui.button("rendezvous", "add"));
        entry = ui.fillEntry("name", "Not HTTP", "url", "ftp://127.0.0.1/");
        assertTrue(DialogDriver.message(entry, "url").startsWith("Type the address with http:// or https://"),
                DialogDriver.message(entry, "url"));
        assertFalse(DialogDriver.dialogButton(entry, DialogDriver.OK).isEnabled());
    }

    @Test
    void anEditKeepsItsPlaceAndDoubleClickOpensIt() {
        Table table = ui.table("rendezvous");
        ui.selectRows(table, 0);
        table.notifyListeners(SWT.DefaultSelection, new Event());
        ui.pump();
        Shell entry = ui.entryDialog();
        assertEquals("http://127.0.0.1:3479", DialogDriver.find(entry, Text.class, "url").getText());
        ui.fillEntry("url", "https://127.0.0.1:8443");
        ui.click(DialogDriver.dialogButton(entry, DialogDriver.OK));
        assertEquals(List.of("https://127.0.0.1:8443"), DialogDriver.column(table, DialogDriver.columnIndex(table, "URL")));
    }

    /** The rendezvous page comes from the DHT provider's UI bundle and saves the provider's section. */
    @Test
    void theRendezvousPageSavesTheProvidersSection() throws Exception {
        ui.click(ui.button("rendezvous", "add"));
        ui.click(DialogDriver.dialogButton(ui.fillEntry("name", "Second", "url", "https://127.0.0.1:8443"), DialogDriver.OK));
        ui.setChecked(ui.table("rendezvous"), 0, false);
        assertEquals(DHT, profileOnDisk().dht(), "nothing saved before OK");

        pressOk();
        assertNull(ui.dialog.getShell(), "the dialog closed");
        assertEquals(new DhtSettings(List.of(new ServiceEntry("Own rendezvous", "http://127.0.0.1:3479", false, false),
                new ServiceEntry("Second", "https://127.0.0.1:8443", true, false))), profileOnDisk().dht());
        assertEquals(BASELINE, onDisk(), "the client's own settings are as they were");
    }

    /**
     * A page contributed by another bundle's model fragment (this test bundle's) has its tab,
     * from its part descriptor, and saves its own section on OK; its refusal keeps the dialog open.
     */
    @Test
    void aPageFromAnotherBundlesFragmentShowsAndSavesItsSection() throws Exception {
        Composite page = ui.tab("org.p2pchat.ui.settings.tests.page");
        TabItem tab = ui.tabItem("org.p2pchat.ui.settings.tests.page");
        assertEquals("Test plug-in", tab.getText());
        assertEquals("A page contributed by a test bundle", tab.getToolTipText());
        Text greeting = DialogDriver.find(page, Text.class, "test-plugin.greeting");
        assertEquals("hi", greeting.getText(), "the page reads its section");
        assertTrue(greeting.isVisible());

        ui.type(greeting, "");
        pressOk();
        assertEquals("Not saved: the greeting must not be empty", ui.dialog.getErrorMessage());
        assertFalse(ui.shell().isDisposed(), "still open");

        int disposed = ContributedTestPage.DISPOSED.get();
        ui.type(greeting, "good morning");
        pressOk();
        assertNull(ui.dialog.getShell(), "the dialog closed");
        assertEquals("good morning", profileOnDisk().test().greeting());
        assertEquals(disposed + 1, ContributedTestPage.DISPOSED.get(), "the page was disposed with the dialog");
    }

    /** The contributed pages go among the client's own where their descriptors ask: rendezvous before trackers, as always. */
    @Test
    void contributedTabsGoWhereTheirDescriptorsAsk() {
        TabFolder tabs = DialogDriver.all(ui.shell(), TabFolder.class).get(0);
        assertEquals(List.of("STUN / TURN", "Rendezvous", "Trackers", "Test plug-in"),
                Arrays.stream(tabs.getItems()).map(TabItem::getText).toList());
    }

    /**
     * A provider's section the store could not read is named at the top of the dialog; the page
     * shows the provider's defaults, and saving it replaces the unreadable section (the store keeps
     * a copy of the file first).
     */
    @Test
    void anUnreadableSectionIsNamedAndItsPageShowsTheDefaults(@TempDir Path profile) throws Exception {
        Files.writeString(profile.resolve("settings.json"), "{\"username\": \"u\", \"iceServers\": [], "
                + "\"sections\": {\"dht\": {\"services\": \"not a list\"}}}");
        SettingsStore broken = new JsonSettingsStore(profile);
        ui.close();
        ui = new DialogDriver();
        ui.open(broken, null);

        assertTrue(ui.dialog.getMessage().contains("'dht' could not be read"), ui.dialog.getMessage());
        Table table = ui.table("rendezvous");
        assertEquals(DhtSettings.defaults().services().stream().map(ServiceEntry::url).toList(),
                DialogDriver.column(table, DialogDriver.columnIndex(table, "URL")));

        pressOk();
        assertNull(ui.dialog.getShell(), "the dialog closed");
        assertEquals(DhtSettings.defaults(), new JsonSettingsStore(profile).section(DhtSettings.SECTION)
                .read(DhtSettings.class, () -> null));
        assertTrue(broken.loadProblem().isEmpty(), broken.loadProblem().toString());
        try (var files = Files.list(profile)) {
            assertEquals(1, files.filter(f -> f.getFileName().toString().startsWith("settings.json.unreadable-"))
                    .count(), "the file with the unreadable section was kept");
        }
    }

    @Test
    void anInvalidRendezvousEntryLeftByAHandEditIsRefusedAndNothingOfThePageWritten() throws Exception {
        ui.close();
        store.section(DhtSettings.SECTION).write(new DhtSettings(List.of(new ServiceEntry("Typo", "rendezvous", true,
                false))));
        ui = new DialogDriver();
        ui.open(store, null);
        pressOk();
        assertTrue(ui.dialog.getErrorMessage().startsWith(
                "Not saved: rendezvous service 'Typo': Type the address with http:// or https:// in front"),
                ui.dialog.getErrorMessage());
        assertEquals("rendezvous", profileOnDisk().dht().services().get(0).url());
    }

    @Test
    void deleteCanBeUndoneByLinkAndByCtrlZ() throws Exception {
        Table table = ui.table("ice");
        int name = DialogDriver.columnIndex(table, "Name");
        Link undo = DialogDriver.find(ui.shell(), Link.class, "undo");
        assertFalse(undo.isVisible(), "nothing to undo yet");

        ui.selectRows(table, 0);
        ui.key(table, SWT.DEL, 0);
        assertEquals(List.of("Loopback TURN"), DialogDriver.column(table, name));
        assertTrue(undo.isVisible(), "Undo offered");
        ui.pump();
        undo.notifyListeners(SWT.Selection, new Event());
        ui.pump();
        assertEquals(List.of("Loopback STUN", "Loopback TURN"), DialogDriver.column(table, name));
        assertFalse(undo.isVisible());

        ui.selectRows(table, 1);
        ui.click(ui.button("ice", "delete"));
        assertEquals(List.of("Loopback STUN"), DialogDriver.column(table, name));
        ui.tab("trackers");
        ui.key(DialogDriver.find(ui.shell(), Table.class, "trackers"), 'z', SWT.MOD1);
        assertEquals(List.of("Loopback STUN", "Loopback TURN"), DialogDriver.column(table, name));
        assertTrue(table.isVisible(), "undo shows the tab it changed");

        pressOk();
        assertEquals(BASELINE.iceServers(), onDisk().iceServers());
    }

    @Test
    void restoringDefaultsCanBeUndone() {
        Table table = ui.table("trackers");
        int url = DialogDriver.columnIndex(table, "URL");
        ui.click(ui.button("trackers", "defaults"));
        assertEquals(FileSettings.defaults().trackers().stream().map(ServiceEntry::url).toList(),
                DialogDriver.column(table, url));
        ui.click(ui.button("trackers", "defaults"));
        ui.key(table, 'z', SWT.MOD1);
        ui.key(table, 'z', SWT.MOD1);
        assertEquals(List.of("ws://127.0.0.1:8000"), DialogDriver.column(table, url));
    }

    @Test
    void cancelDiscardsEverything() throws Exception {
        ui.type(DialogDriver.find(ui.shell(), Text.class, "username"), "someone else");
        ui.selectRows(ui.table("ice"), 0, 1);
        ui.click(ui.button("ice", "delete"));
        ui.click(ui.button("rendezvous", "defaults"));
        Table trackers = ui.table("trackers");
        ui.setChecked(trackers, 0, false);

        ui.type(DialogDriver.find(ui.tab("org.p2pchat.ui.settings.tests.page"), Text.class, "test-plugin.greeting"),
                "changed");

        ui.click(DialogDriver.dialogButton(ui.shell(), DialogDriver.CANCEL));
        assertNull(ui.dialog.getShell());
        assertEquals(BASELINE_PROFILE, profileOnDisk());
        assertEquals(BASELINE_PROFILE, Profile.of(store));
    }

    @Test
    void theEnabledCheckBoxIsSaved() throws Exception {
        Table table = ui.table("ice");
        assertTrue(table.getItem(0).getChecked());
        assertFalse(table.getItem(1).getChecked());
        ui.setChecked(table, 1, true);
        pressOk();
        assertTrue(onDisk().iceServers().get(1).enabled());
    }

    @Test
    void aFailedSaveIsShownAndTheDialogStaysOpen() throws Exception {
        ui.close();
        ui = new DialogDriver();
        ui.open(new FailingStore(store.profileDirectory()), null);
        pressOk();
        assertTrue(ui.dialog.getShell() != null && !ui.dialog.getShell().isDisposed(), "still open");
        assertEquals("Not saved: disk full", ui.dialog.getErrorMessage());
    }

    private record FailingStore(Path profileDirectory) implements SettingsStore {

        /** Sections read their defaults and cannot be written either. */
        @Override
        public SettingsSection section(String id) {
            return new SettingsSection() {
                @Override
                public String id() {
                    return id;
                }

                @Override
                public <T> T read(Class<T> type, java.util.function.Supplier<T> defaults) {
                    return defaults.get();
                }

                @Override
                public void write(Object value) throws IOException {
                    throw new IOException("disk full");
                }
            };
        }

        @Override
        public Settings get() {
            return BASELINE;
        }

        @Override
        public void save(Settings settings) throws IOException {
            throw new IOException("disk full");
        }

        @Override
        public Optional<String> loadProblem() {
            return Optional.empty();
        }
    }
}
