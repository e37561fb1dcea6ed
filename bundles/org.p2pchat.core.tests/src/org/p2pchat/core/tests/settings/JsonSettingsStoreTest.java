package org.p2pchat.core.tests.settings;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.p2pchat.core.files.FileSettings;
import org.p2pchat.core.internal.settings.JsonSettingsStore;
import org.p2pchat.core.settings.IceServerEntry;
import org.p2pchat.core.settings.Settings;

class JsonSettingsStoreTest {

    private static final String FILE = "settings.json";
    private static final String ASIDE_PREFIX = "settings.json.unreadable-";

    /** Everything non-default, with text that JSON must escape. */
    private static final Settings CUSTOM = Settings.defaults()
            .withUsername("Zoë \"z\" 👋")
            .withIceServers(List.of(
                    new IceServerEntry("Home STUN", "stun:192.0.2.1:3478", "", "", true, false),
                    new IceServerEntry("Home TURN", "turn:turn.example.org:3478?transport=tcp", "zoe", "s3cr=t&<>", false, false)));

    @TempDir
    Path temp;

    private Path profile() {
        return temp.resolve("profile");
    }

    @Test
    void firstStartHasDefaultsAndWritesNothing() throws IOException {
        JsonSettingsStore store = new JsonSettingsStore(profile());

        assertEquals(Settings.defaults(), store.get());
        assertTrue(store.loadProblem().isEmpty());
        assertEquals(profile(), store.profileDirectory());
        assertEquals(List.of(), listing());
    }

    @Test
    void savedSettingsComeBackInANewStore() throws IOException {
        new JsonSettingsStore(profile()).save(CUSTOM);

        JsonSettingsStore reopened = new JsonSettingsStore(profile());
        assertEquals(CUSTOM, reopened.get());
        assertTrue(reopened.loadProblem().isEmpty());
    }

    @Test
    void saveMakesTheSettingsCurrent() throws IOException {
        JsonSettingsStore store = new JsonSettingsStore(profile());
        store.save(CUSTOM);

        assertEquals(CUSTOM, store.get());
    }

    @Test
    void saveLeavesOnlyTheSettingsFile() throws IOException {
        JsonSettingsStore store = new JsonSettingsStore(profile());
        store.save(CUSTOM);
        store.save(CUSTOM.withUsername("again"));

        assertEquals(List.of(FILE), listing());
    }

    @Test
    void profileDirectoryIsPrivate() throws IOException {
        Files.createDirectories(profile(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));

        new JsonSettingsStore(profile());

        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(profile())));
    }

    @ParameterizedTest
    @ValueSource(strings = { "{\"username\": \"al", "[1, 2]", "null", "", "{\"maxMessageBytes\": \"lots\"}",
            "{\"iceServers\": {\"name\": \"not a list\"}}", "<?xml version=\"1.0\"?><settings/>" })
    void unreadableFileIsMovedAsideAndDefaultsUsed(String content) throws IOException {
        assertMovedAside(content.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void nullEntriesInAHandEditedFileAreDroppedAndTheRestKept() throws IOException {
        Files.createDirectories(profile());
        Files.writeString(profile().resolve("settings.json"),
                "{\"username\": \"kept\", \"iceServers\": [null], \"trackers\": [null, null]}", StandardCharsets.UTF_8);
        JsonSettingsStore store = new JsonSettingsStore(profile());
        assertEquals("kept", store.get().username());
        assertEquals(List.of(), store.get().iceServers());
        assertEquals(List.of(), store.section(FileSettings.SECTION).read(FileSettings.class, FileSettings::defaults)
                .trackers(), "the first format's trackers are the file transfer's now");
        assertEquals(Optional.empty(), store.loadProblem());
    }

    @Test
    void fileThatIsNotUtf8IsMovedAside() throws IOException {
        assertMovedAside(new byte[] { '{', '"', 'u', (byte) 0xFF, (byte) 0xFE, '"', ':', '1', '}' });
    }

    @Test
    void everyUnreadableFileIsKept() throws IOException {
        Files.createDirectories(profile());
        Files.writeString(profile().resolve(FILE), "first broken");
        new JsonSettingsStore(profile());
        Files.writeString(profile().resolve(FILE), "second broken");
        new JsonSettingsStore(profile());

        assertEquals(2, listing().stream().filter(name -> name.startsWith(ASIDE_PREFIX)).count(), listing().toString());
    }

    private void assertMovedAside(byte[] content) throws IOException {
        Files.createDirectories(profile());
        Files.write(profile().resolve(FILE), content);

        JsonSettingsStore store = new JsonSettingsStore(profile());

        assertEquals(Settings.defaults(), store.get());
        List<String> names = listing();
        assertEquals(1, names.size(), names.toString());
        String aside = names.get(0);
        assertTrue(aside.startsWith(ASIDE_PREFIX), aside);
        assertArrayEquals(content, Files.readAllBytes(profile().resolve(aside)));
        String problem = store.loadProblem().orElseThrow();
        assertTrue(problem.contains("could not be read") && problem.contains(aside), problem);
    }

    @Test
    void missingFieldsTakeDefaults() throws IOException {
        Files.createDirectories(profile());
        Files.writeString(profile().resolve(FILE), "{\"username\": \"alice\"}");

        JsonSettingsStore store = new JsonSettingsStore(profile());

        assertEquals(Settings.defaults().withUsername("alice"), store.get());
        assertTrue(store.loadProblem().isEmpty());
    }

    @Test
    void emptyObjectIsAllDefaults() throws IOException {
        Files.createDirectories(profile());
        Files.writeString(profile().resolve(FILE), "{}");

        assertEquals(Settings.defaults(), new JsonSettingsStore(profile()).get());
    }

    static Stream<Arguments> invalidSettings() {
        IceServerEntry badUrl = new IceServerEntry("Typo", "stun//relay.example.org", "", "", true, false);
        IceServerEntry turnWithoutPassword = new IceServerEntry("Relay", "turn:turn.example.org:3478", "zoe", "", true, false);
        return Stream.of(
                Arguments.of(CUSTOM.withIceServers(List.of(badUrl)), "ICE server 'Typo': URL must look like"),
                Arguments.of(CUSTOM.withIceServers(List.of(turnWithoutPassword)),
                        "ICE server 'Relay': a TURN server needs a username and a credential"));
    }

    @ParameterizedTest
    @MethodSource("invalidSettings")
    void invalidEntryIsRefusedAndNothingWritten(Settings invalid, String messageStart) throws IOException {
        JsonSettingsStore store = new JsonSettingsStore(profile());
        store.save(CUSTOM);
        byte[] before = Files.readAllBytes(profile().resolve(FILE));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> store.save(invalid));

        assertTrue(e.getMessage().startsWith(messageStart), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(profile().resolve(FILE)));
        assertEquals(List.of(FILE), listing());
        assertEquals(CUSTOM, store.get());
    }

    @Test
    void invalidFirstSaveCreatesNoFile() throws IOException {
        JsonSettingsStore store = new JsonSettingsStore(profile());
        Settings invalid = Settings.defaults().withIceServers(List.of(new IceServerEntry("x", "", "", "", true, false)));

        assertThrows(IllegalArgumentException.class, () -> store.save(invalid));

        assertEquals(List.of(), listing());
        assertNotEquals(invalid, store.get());
        assertFalse(Files.exists(profile().resolve(FILE)));
    }

    private List<String> listing() throws IOException {
        try (Stream<Path> files = Files.list(profile())) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
