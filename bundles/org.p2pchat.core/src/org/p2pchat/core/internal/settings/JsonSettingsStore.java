package org.p2pchat.core.internal.settings;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.p2pchat.core.settings.IceServerEntry;
import org.p2pchat.core.settings.Profiles;
import org.p2pchat.core.settings.ServiceEntry;
import org.p2pchat.core.settings.Settings;
import org.p2pchat.core.settings.SettingsSection;
import org.p2pchat.core.settings.SettingsStore;

/**
 * Keeps settings in {@code settings.json} in the profile directory. Writes go to a temporary file
 * that replaces the old one atomically, so a crash never leaves half a file. An unreadable file
 * is moved aside, never overwritten, and defaults are used.
 */
@Component(service = SettingsStore.class)
public final class JsonSettingsStore implements SettingsStore {

    static final String FILE_NAME = "settings.json";
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    private Path directory;
    private volatile Settings current;
    private volatile String loadProblem;

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
        this.current = read();
    }

    private Settings read() throws IOException {
        Path file = directory.resolve(FILE_NAME);
        try {
            Settings s = GSON.fromJson(Files.readString(file, StandardCharsets.UTF_8), Settings.class);
            if (s == null) {
                throw new JsonParseException("the file is empty");
            }
            return s;
        } catch (NoSuchFileException e) {
            return Settings.defaults();
        } catch (CharacterCodingException | RuntimeException e) {
            // Gson wraps what the records' constructors throw in plain RuntimeExceptions.
            Path aside = setAside(file);
            loadProblem = "The settings file could not be read (" + rootMessage(e) + "). It was kept as "
                    + aside.getFileName() + " and default settings are in use.";
            return Settings.defaults();
        }
    }

    /** Moves an unreadable file to a name no earlier unreadable file has. */
    private Path setAside(Path file) throws IOException {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        for (int n = 0;; n++) {
            Path aside = directory.resolve(FILE_NAME + ".unreadable-" + stamp + (n == 0 ? "" : "-" + n));
            try {
                return Files.move(file, aside);
            } catch (FileAlreadyExistsException e) {
                // Another one from the same second: try the next number.
            }
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
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
    public synchronized void save(Settings settings) throws IOException {
        validate(settings);
        Path file = directory.resolve(FILE_NAME);
        Path tmp = Files.createTempFile(directory, FILE_NAME, ".tmp");
        try {
            Files.writeString(tmp, GSON.toJson(settings), StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        current = settings;
    }

    private static void validate(Settings s) {
        check("ICE server", s.iceServers(), e -> e.problem(), IceServerEntry::name);
        check("rendezvous service", s.rendezvousServices(), ServiceEntry::problem, ServiceEntry::name);
        check("tracker", s.trackers(), ServiceEntry::problem, ServiceEntry::name);
    }

    private static <T> void check(String what, List<T> entries, java.util.function.Function<T, Optional<String>> problem,
            java.util.function.Function<T, String> name) {
        for (T entry : entries) {
            Optional<String> p = problem.apply(entry);
            if (p.isPresent()) {
                throw new IllegalArgumentException(what + " '" + name.apply(entry) + "': " + p.get());
            }
        }
    }

    @Override
    public Optional<String> loadProblem() {
        return Optional.ofNullable(loadProblem);
    }

    @Override
    public SettingsSection section(String id) {
        throw new UnsupportedOperationException("settings sections are not implemented yet");
    }
}
