package org.p2pchat.core.tests.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.p2pchat.core.files.FileSettings;
import org.p2pchat.core.internal.settings.JsonSettingsStore;
import org.p2pchat.core.settings.IceServerEntry;
import org.p2pchat.core.settings.ServiceEntry;
import org.p2pchat.core.settings.Settings;
import org.p2pchat.core.settings.SettingsSection;

/**
 * Plug-ins' settings sections in real profile files: the first format (rendezvous services and
 * trackers in core's record) moves into the sections without loss, what the store does not know
 * survives every save, an unreadable section costs only itself and is never overwritten unseen,
 * hostile files are refused with a clear problem, and writers of different sections keep each
 * other's changes.
 */
class SettingsSectionTest {

    private static final String FILE = "settings.json";
    /** The same JSON writer as the store; today's files were written with it. */
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    /** The record the first format was written from: core's Settings as it was before sections. */
    record FirstFormat(String username, List<IceServerEntry> iceServers, List<ServiceEntry> rendezvousServices,
            List<ServiceEntry> trackers, long maxMessageBytes) {
    }

    /** The DHT provider's section as that provider defines it: {@code {"services": [...]}}. */
    record DhtSection(List<ServiceEntry> services) {
    }

    /** A plug-in of a later version, whose section this store knows nothing about. */
    record Other(String mode, int level) {
    }

    private static final List<IceServerEntry> ICE = List.of(
            new IceServerEntry("Public STUN", "stun:198.51.100.7:19302", "", "", false, true),
            new IceServerEntry("Office TURN", "turn:192.0.2.7:3478?transport=tcp", "zoe", "pw", true, false));
    private static final List<ServiceEntry> RENDEZVOUS = List.of(
            new ServiceEntry("Local rendezvous", "http://localhost:3479", false, true),
            new ServiceEntry("Club", "https://rendezvous.example.org:8443", true, false));
    private static final List<ServiceEntry> TRACKERS = List.of(
            new ServiceEntry("Public tracker", "wss://198.51.100.8:8000", true, true),
            new ServiceEntry("Own", "udp://192.0.2.1:6969/announce", false, false));

    @TempDir
    Path temp;

    private Path profile() {
        return temp.resolve("profile");
    }

    private Path file() {
        return profile().resolve(FILE);
    }

    private void writeFile(String json) throws IOException {
        Files.createDirectories(profile());
        Files.writeString(file(), json, StandardCharsets.UTF_8);
    }

    private JsonObject onDisk() throws IOException {
        return JsonParser.parseString(Files.readString(file(), StandardCharsets.UTF_8)).getAsJsonObject();
    }

    private static FileSettings files(JsonSettingsStore store) {
        return store.section(FileSettings.SECTION).read(FileSettings.class, FileSettings::defaults);
    }

    private static DhtSection dht(JsonSettingsStore store) {
        return store.section("dht").read(DhtSection.class, () -> new DhtSection(List.of()));
    }

    /** Today's file, as the code before sections wrote it, with a field of a newer client. */
    private String firstFormatFile() {
        JsonObject json = GSON.toJsonTree(new FirstFormat("Zoë", ICE, RENDEZVOUS, TRACKERS, 1 << 20))
                .getAsJsonObject();
        json.addProperty("theme", "dark");
        return GSON.toJson(json);
    }

    @Test
    void aFileOfTheFirstFormatMovesIntoSectionsWithoutLoss() throws IOException {
        writeFile(firstFormatFile());

        JsonSettingsStore store = new JsonSettingsStore(profile());

        assertEquals(new Settings("Zoë", ICE, 1 << 20), store.get());
        assertEquals(RENDEZVOUS, dht(store).services(), "disabled and built-in entries alike");
        assertEquals(TRACKERS, files(store).trackers());
        assertTrue(store.loadProblem().isEmpty(), store.loadProblem().toString());
        assertEquals(firstFormatFile(), Files.readString(file()), "reading alone changes nothing");

        store.save(store.get().withUsername("Zoe"));

        JsonObject saved = onDisk();
        assertFalse(saved.has("rendezvousServices"), saved.toString());
        assertFalse(saved.has("trackers"), saved.toString());
        assertEquals("dark", saved.get("theme").getAsString(), "an unknown field is kept");
        assertEquals(GSON.toJsonTree(RENDEZVOUS), saved.getAsJsonObject("sections").getAsJsonObject("dht").get("services"));
        assertEquals(GSON.toJsonTree(TRACKERS), saved.getAsJsonObject("sections").getAsJsonObject("files").get("trackers"));

        JsonSettingsStore reopened = new JsonSettingsStore(profile());
        assertEquals(new Settings("Zoe", ICE, 1 << 20), reopened.get());
        assertEquals(RENDEZVOUS, dht(reopened).services());
        assertEquals(TRACKERS, files(reopened).trackers());
    }

    @Test
    void aFirstFormatFileSavedFirstThroughASectionMovesToo() throws IOException {
        writeFile(firstFormatFile());
        JsonSettingsStore store = new JsonSettingsStore(profile());

        store.section(FileSettings.SECTION).write(new FileSettings(List.of()));

        JsonObject saved = onDisk();
        assertFalse(saved.has("rendezvousServices") || saved.has("trackers"), saved.toString());
        JsonSettingsStore reopened = new JsonSettingsStore(profile());
        assertEquals(RENDEZVOUS, dht(reopened).services());
        assertEquals(List.of(), files(reopened).trackers());
        assertEquals(new Settings("Zoë", ICE, 1 << 20), reopened.get());
    }

    @Test
    void anExistingSectionWinsOverAnOldFieldWhichIsKept() throws IOException {
        writeFile("""
                {"username": "a", "trackers": [{"name": "old", "url": "udp://192.0.2.1:1", "enabled": true}],
                 "sections": {"files": {"trackers": []}}}""");
        JsonSettingsStore store = new JsonSettingsStore(profile());

        assertEquals(List.of(), files(store).trackers());
        store.save(store.get());
        assertEquals("old", onDisk().getAsJsonArray("trackers").get(0).getAsJsonObject().get("name").getAsString());
    }

    @Test
    void aProfileWithoutTheSectionReadsDefaultsAndWritesNothing() throws IOException {
        JsonSettingsStore store = new JsonSettingsStore(profile());

        assertEquals(FileSettings.defaults(), files(store));
        assertFalse(Files.exists(file()));
        assertTrue(store.loadProblem().isEmpty());
    }

    @Test
    void unknownSectionsAndFieldsSurviveEverySave() throws IOException {
        writeFile("""
                {"username": "a", "future": {"x": [1, {"y": true}]},
                 "sections": {"later-plugin": {"mode": "fast", "level": 3, "extra": [null, "kept"]}}}""");
        JsonElement later = onDisk().getAsJsonObject("sections").get("later-plugin");
        JsonSettingsStore store = new JsonSettingsStore(profile());

        store.save(store.get().withUsername("b"));
        store.section(FileSettings.SECTION).write(new FileSettings(TRACKERS));
        store.section("dht").write(new DhtSection(RENDEZVOUS));

        JsonObject saved = onDisk();
        assertEquals(later, saved.getAsJsonObject("sections").get("later-plugin"));
        assertEquals(JsonParser.parseString("{\"x\": [1, {\"y\": true}]}"), saved.get("future"));
        assertEquals("b", saved.get("username").getAsString());
        assertEquals(new Other("fast", 3), store.section("later-plugin").read(Other.class, () -> null));
    }

    @Test
    void anUnreadableSectionCostsOnlyItselfAndIsNeverOverwrittenUnseen() throws IOException {
        String broken = "{\"services\": \"not a list\"}";
        writeFile("{\"username\": \"a\", \"sections\": {\"dht\": " + broken + ", \"files\": {\"trackers\": "
                + GSON.toJson(TRACKERS) + "}}}");
        JsonSettingsStore store = new JsonSettingsStore(profile());

        assertEquals(new DhtSection(List.of()), dht(store), "the owner's defaults");
        String problem = store.loadProblem().orElseThrow();
        assertTrue(problem.contains("'dht'") && problem.contains("could not be read"), problem);
        assertEquals(TRACKERS, files(store).trackers(), "the other section is read");
        assertEquals("a", store.get().username(), "and core's settings");

        store.save(store.get().withUsername("b"));
        store.section(FileSettings.SECTION).write(new FileSettings(List.of()));
        assertEquals(JsonParser.parseString(broken), onDisk().getAsJsonObject("sections").get("dht"),
                "saving other parts leaves the unreadable section as it is");

        store.section("dht").write(new DhtSection(RENDEZVOUS));
        assertEquals(RENDEZVOUS, dht(new JsonSettingsStore(profile())).services());
        List<Path> aside = asideFiles();
        assertEquals(1, aside.size(), "the file with the unreadable section was kept: " + listing());
        assertEquals(JsonParser.parseString(broken),
                JsonParser.parseString(Files.readString(aside.get(0))).getAsJsonObject().getAsJsonObject("sections")
                        .get("dht"));
        assertTrue(store.loadProblem().isEmpty(), "written, the section has no problem any more");
    }

    @Test
    void unreadableCoreFieldsAreSetAsideAndTheSectionsKept() throws IOException {
        String content = "{\"username\": {\"not\": \"text\"}, \"sections\": {\"files\": {\"trackers\": []}}}";
        writeFile(content);

        JsonSettingsStore store = new JsonSettingsStore(profile());

        assertEquals(Settings.defaults(), store.get());
        assertEquals(List.of(), files(store).trackers(), "the section is still read");
        String problem = store.loadProblem().orElseThrow();
        assertTrue(problem.contains("could not be read") && problem.contains("plug-ins' settings in it are kept"),
                problem);
        List<Path> aside = asideFiles();
        assertEquals(1, aside.size(), listing().toString());
        assertEquals(content, Files.readString(aside.get(0)), "the whole file as it was");
        assertEquals(List.of(), files(new JsonSettingsStore(profile())).trackers(),
                "the sections were written back at once");
    }

    /** What hostile files make the store do: a clear problem, defaults, the file kept aside; no crash. */
    @ParameterizedTest
    @ValueSource(strings = {"nesting", "sections-array", "sections-string", "huge"})
    void hostileFilesAreRefusedClearly(String kind) throws IOException {
        Files.createDirectories(profile());
        String expected = switch (kind) {
            case "nesting" -> {
                // 100000 levels, inside a section: a recursive reader would overflow its stack.
                Files.writeString(file(), "{\"sections\": {\"dht\": " + "[".repeat(100_000) + "]".repeat(100_000) + "}}");
                yield "nesting limit";
            }
            case "sections-array" -> {
                Files.writeString(file(), "{\"username\": \"a\", \"sections\": [1, 2]}");
                yield "\"sections\" is not a JSON object";
            }
            case "sections-string" -> {
                Files.writeString(file(), "{\"sections\": \"dht\"}");
                yield "\"sections\" is not a JSON object";
            }
            default -> {
                byte[] big = new byte[17 << 20];
                java.util.Arrays.fill(big, (byte) ' ');
                big[0] = '{';
                big[big.length - 1] = '}';
                Files.write(file(), big);
                yield "larger than 16 MiB";
            }
        };

        JsonSettingsStore store = new JsonSettingsStore(profile());

        assertEquals(Settings.defaults(), store.get());
        assertEquals(FileSettings.defaults(), files(store));
        String problem = store.loadProblem().orElseThrow();
        assertTrue(problem.toLowerCase().contains(expected.toLowerCase()), problem);
        assertTrue(problem.length() < 600, "a problem a person can read: " + problem.length() + " characters");
        assertEquals(1, asideFiles().size(), listing().toString());
        assertFalse(Files.exists(file()));
        store.section("dht").write(new DhtSection(RENDEZVOUS));
        assertEquals(RENDEZVOUS, dht(new JsonSettingsStore(profile())).services(), "the store still works");
    }

    /** Values of the wrong type inside a section: the section's problem, nothing else. */
    @ParameterizedTest
    @ValueSource(strings = {"5", "\"text\"", "[]", "{\"services\": [1, 2]}", "{\"services\": [{\"name\": {\"a\": 1}}]}",
            "{\"services\": [{\"enabled\": [true]}]}", "{\"services\": {\"name\": \"x\"}}"})
    void aSectionOfWrongTypesIsItsOwnProblem(String section) throws IOException {
        writeFile("{\"username\": \"a\", \"sections\": {\"dht\": " + section + ", \"files\": {\"trackers\": []}}}");
        JsonSettingsStore store = new JsonSettingsStore(profile());

        assertEquals(new DhtSection(List.of()), dht(store));
        assertTrue(store.loadProblem().orElseThrow().contains("'dht'"), store.loadProblem().toString());
        assertEquals(List.of(), files(store).trackers());
        assertEquals("a", store.get().username());
        assertTrue(asideFiles().isEmpty(), "reading alone moves nothing: " + listing());
    }

    @Test
    void writersOfDifferentSectionsKeepEachOthersWrites() throws Exception {
        JsonSettingsStore first = new JsonSettingsStore(profile());
        // A second store on the same profile, as a second component or tool would have.
        JsonSettingsStore second = new JsonSettingsStore(profile());
        int writers = 6;
        int rounds = 25;
        ExecutorService pool = Executors.newFixedThreadPool(writers + 1);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                JsonSettingsStore store = w % 2 == 0 ? first : second;
                SettingsSection section = store.section("plugin-" + w);
                done.add(pool.submit(() -> {
                    for (int r = 1; r <= rounds; r++) {
                        section.write(new Other("round", r));
                    }
                    return null;
                }));
            }
            done.add(pool.submit(() -> {
                for (int r = 1; r <= rounds; r++) {
                    second.save(Settings.defaults().withUsername("round " + r));
                }
                return null;
            }));
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        JsonSettingsStore reopened = new JsonSettingsStore(profile());
        for (int w = 0; w < writers; w++) {
            assertEquals(new Other("round", rounds), reopened.section("plugin-" + w).read(Other.class, () -> null),
                    "plugin-" + w);
        }
        assertEquals("round " + rounds, reopened.get().username());
        assertEquals(List.of(FILE), listing(), "no temporary files left");
    }

    @Test
    void sectionIdsAreChecked() throws IOException {
        JsonSettingsStore store = new JsonSettingsStore(profile());
        for (String bad : new String[] {"", "Has Space", "../x", "x".repeat(65), "sections\"", "-dash"}) {
            assertThrows(IllegalArgumentException.class, () -> store.section(bad), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> store.section(null));
        assertEquals("org.p2pchat.x_1-a", store.section("org.p2pchat.x_1-a").id());
        assertNull(store.section("x").read(Other.class, () -> null));
    }

    private List<Path> asideFiles() throws IOException {
        try (Stream<Path> files = Files.list(profile())) {
            return files.filter(p -> p.getFileName().toString().startsWith(FILE + ".unreadable-")).toList();
        }
    }

    private List<String> listing() throws IOException {
        try (Stream<Path> files = Files.list(profile())) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
