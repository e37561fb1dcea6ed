package org.p2pchat.core.internal.settings;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.p2pchat.core.internal.settings.SettingsDocument.Parsed;
import org.p2pchat.core.internal.settings.SettingsDocument.UnreadableException;
import org.p2pchat.core.settings.IceServerEntry;
import org.p2pchat.core.settings.Profiles;
import org.p2pchat.core.settings.Settings;
import org.p2pchat.core.settings.SettingsSection;
import org.p2pchat.core.settings.SettingsStore;

/**
 * Keeps settings in {@code settings.json} in the profile directory: core's settings and the
 * plug-ins' sections (see {@link SettingsDocument}). Writes go to a temporary file that replaces
 * the old one atomically, so a crash never leaves half a file. Each write reads the file again and
 * changes only its own part (core's fields, or one section), so writers of different parts, in
 * this process or another store on the same profile, do not undo each other's changes. What cannot
 * be read is never overwritten: an unreadable file is moved aside (defaults are used), and a file
 * whose unreadable section is about to be replaced is copied aside first.
 */
@Component(service = SettingsStore.class)
public final class JsonSettingsStore implements SettingsStore {

    static final String FILE_NAME = "settings.json";
    private static final System.Logger LOG = System.getLogger(JsonSettingsStore.class.getName());
    private static final Pattern SECTION_ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    /** One lock per profile directory for every store in this process. */
    private static final ConcurrentMap<Path, Object> LOCKS = new ConcurrentHashMap<>();

    private Path directory;
    private Object lock;
    /** The file's content as last read or written; replaced, never changed in place. */
    private volatile JsonObject document = new JsonObject();
    private volatile Settings current;
    private volatile String loadProblem;
    /** Sections that could not be read as their owner's type, with why; until they are written. */
    private final Map<String, String> sectionProblems = new ConcurrentHashMap<>();

    /** For DS. */
    public JsonSettingsStore() {
    }

    /** For use outside a framework (command line tools, tests). */
    public JsonSettingsStore(Path directory) throws IOException {
        open(directory);
    }

    @Activate
    void activate(BundleContext context) throws IOException {
        open(Profiles.resolve(context.getProperty(PROFILE_PROPERTY)));
    }

    private void open(Path dir) throws IOException {
        this.directory = Profiles.ensurePrivateDirectory(dir);
        this.lock = LOCKS.computeIfAbsent(directory.toRealPath(), k -> new Object());
        synchronized (lock) {
            Parsed parsed = readFile();
            document = parsed == null ? new JsonObject() : parsed.json();
            current = parsed == null ? Settings.defaults() : parsed.settings();
        }
    }

    private Path file() {
        return directory.resolve(FILE_NAME);
    }

    /**
     * The file as it is now; {@code null} if there is none or it is unreadable (then it is moved
     * aside and {@link #loadProblem} says so). Core's fields that cannot be read are moved aside
     * with the file, and what could be read (the sections, unknown fields) is written back at once.
     */
    private Parsed readFile() throws IOException {
        Path file = file();
        byte[] content;
        try {
            if (Files.size(file) > SettingsDocument.MAX_BYTES) {
                moveAside(file, "it is larger than " + (SettingsDocument.MAX_BYTES >> 20) + " MiB", false);
                return null;
            }
            content = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return null;
        }
        try {
            Parsed parsed = SettingsDocument.parse(content);
            if (parsed.coreProblem() != null) {
                boolean rest = !parsed.json().isEmpty();
                moveAside(file, parsed.coreProblem(), rest);
                if (rest) {
                    try {
                        writeAtomically(parsed.json());
                    } catch (IOException e) {
                        LOG.log(Level.WARNING, "could not write back the readable part of " + file, e);
                    }
                }
            }
            return parsed;
        } catch (UnreadableException e) {
            moveAside(file, e.getMessage(), false);
            return null;
        }
    }

    private void moveAside(Path file, String why, boolean restKept) throws IOException {
        Path aside = setAside(file, false);
        loadProblem = "The settings file could not be read (" + why + "). It was kept as " + aside.getFileName()
                + " and default settings are in use" + (restKept ? "; the plug-ins' settings in it are kept." : ".");
        LOG.log(Level.WARNING, loadProblem);
    }

    /** Moves (or copies) the file to a name no earlier unreadable file has. */
    private Path setAside(Path file, boolean copy) throws IOException {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        for (int n = 0;; n++) {
            Path aside = directory.resolve(FILE_NAME + ".unreadable-" + stamp + (n == 0 ? "" : "-" + n));
            try {
                return copy ? Files.copy(file, aside) : Files.move(file, aside);
            } catch (FileAlreadyExistsException e) {
                // Another one from the same second: try the next number.
            }
        }
    }

    private void writeAtomically(JsonObject json) throws IOException {
        Path file = file();
        Path tmp = Files.createTempFile(directory, FILE_NAME, ".tmp");
        try {
            Files.write(tmp, SettingsDocument.bytes(json));
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Reads the file again, lets {@code change} change its part of it and writes it. A file that
     * is gone or unreadable now is replaced by what this store last knew, changed.
     *
     * @return core's settings in the file as it was read
     */
    private Settings update(Consumer<JsonObject> change) throws IOException {
        synchronized (lock) {
            Parsed onDisk = readFile();
            JsonObject json = onDisk != null ? onDisk.json() : document.deepCopy();
            change.accept(json);
            writeAtomically(json);
            document = json;
            return onDisk != null ? onDisk.settings() : current;
        }
    }

    @Override
    public Path profileDirectory() {
        return directory;
    }

    @Override
    public Settings get() {
        return current;
    }

    @Override
    public void save(Settings settings) throws IOException {
        validate(settings);
        synchronized (lock) {
            update(json -> SettingsDocument.putCore(json, settings));
            current = settings;
        }
    }

    private static void validate(Settings s) {
        for (IceServerEntry entry : s.iceServers()) {
            Optional<String> problem = entry.problem();
            if (problem.isPresent()) {
                throw new IllegalArgumentException("ICE server '" + entry.name() + "': " + problem.get());
            }
        }
    }

    @Override
    public Optional<String> loadProblem() {
        String sections = sectionProblems.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(Map.Entry::getValue).collect(Collectors.joining(" "));
        String all = Stream.of(loadProblem, sections).filter(s -> s != null && !s.isEmpty())
                .collect(Collectors.joining(" "));
        return all.isEmpty() ? Optional.empty() : Optional.of(all);
    }

    @Override
    public SettingsSection section(String id) {
        if (id == null || !SECTION_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("a section id is 1 to 64 of a-z, 0-9, '.', '_', '-', starting with a "
                    + "letter or digit: " + id);
        }
        return new Section(id);
    }

    private final class Section implements SettingsSection {

        private final String id;

        Section(String id) {
            this.id = id;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public <T> T read(Class<T> type, Supplier<T> defaults) {
            JsonElement json = SettingsDocument.section(document, id);
            if (json == null) {
                return defaults.get();
            }
            try {
                T value = SettingsDocument.GSON.fromJson(json, type);
                if (value != null) {
                    return value;
                }
            } catch (RuntimeException e) {
                // Gson wraps what the records' constructors throw in plain RuntimeExceptions.
                String problem = "The settings of '" + id + "' could not be read (" + SettingsDocument.rootMessage(e)
                        + "). Defaults are in use; the file keeps them as they are until they are changed.";
                if (!problem.equals(sectionProblems.put(id, problem))) {
                    LOG.log(Level.WARNING, problem);
                }
            }
            return defaults.get();
        }

        @Override
        public void write(Object value) throws IOException {
            Objects.requireNonNull(value, "value");
            JsonElement json = SettingsDocument.GSON.toJsonTree(value);
            synchronized (lock) {
                if (sectionProblems.containsKey(id) && Files.exists(file())) {
                    Path aside = setAside(file(), true);
                    LOG.log(Level.INFO, "replacing the unreadable settings of '" + id + "'; the file was kept as "
                            + aside.getFileName());
                }
                current = update(doc -> SettingsDocument.sections(doc).add(id, json));
                sectionProblems.remove(id);
            }
        }

        @Override
        public String toString() {
            return "settings section " + id + " of " + directory;
        }
    }
}
