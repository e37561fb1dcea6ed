package org.p2pchat.core.internal.profile;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.crypto.AEADBadTagException;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;

import org.p2pchat.core.internal.json.StrictJson;
import org.p2pchat.core.profile.WrongPassphraseException;
import org.p2pchat.core.settings.Profiles;

/**
 * The vault's files in the profile directory (all owner-only):
 * <ul>
 * <li>{@code vault.json}: which folder holds the secrets now and, with a passphrase, the key
 * derivation's salt and iteration count and the check that tells a wrong passphrase; no file means
 * no passphrase and the folder {@code secrets};</li>
 * <li>that folder: one file per secret, as it is without a passphrase, sealed (AES-GCM) with one.</li>
 * </ul>
 * Setting, changing or removing the passphrase writes every secret into a new folder and only then
 * replaces {@code vault.json} (atomically) to point at it, so a crash at any moment leaves either
 * the old state or the new one, complete; the folder no longer pointed at is deleted afterwards (or
 * at the next start). Every write holds {@code vault.lock}, so processes on one profile take turns.
 */
final class VaultStore {

    static final String POINTER_FILE = "vault.json";
    static final String PLAIN_FOLDER = "secrets";
    private static final String FOLDER_PREFIX = "secrets-";
    private static final String LOCK_FILE = "vault.lock";
    private static final Pattern FOLDER = Pattern.compile("secrets(-[0-9a-f]{16})?");
    private static final Pattern NAME = Pattern.compile("[a-z0-9-]+");
    private static final int FORMAT = 1;
    private static final System.Logger LOG = System.getLogger(VaultStore.class.getName());
    /** One monitor per profile in this process: file locks are per process, not per thread. */
    private static final ConcurrentMap<Path, Object> MONITORS = new ConcurrentHashMap<>();

    /**
     * What {@code vault.json} says.
     *
     * @param folder     the folder of the secrets, in the profile directory
     * @param iterations 0 without a passphrase
     */
    record Pointer(String folder, int iterations, byte[] salt, byte[] check) {

        static final Pointer NONE = new Pointer(PLAIN_FOLDER, 0, new byte[0], new byte[0]);

        boolean hasPassphrase() {
            return iterations > 0;
        }
    }

    /** The secrets as they are now: where, and the key when there is a passphrase (else null). */
    record Opened(Pointer pointer, VaultCipher cipher) {
    }

    private final Path directory;
    private final Object monitor;

    VaultStore(Path profileDirectory) throws IOException {
        this.directory = Profiles.ensurePrivateDirectory(profileDirectory).toAbsolutePath().normalize();
        this.monitor = MONITORS.computeIfAbsent(directory, d -> new Object());
    }

    Path directory() {
        return directory;
    }

    /** What {@code vault.json} says now; {@link Pointer#NONE} if there is none. */
    Pointer pointer() throws IOException {
        Path file = directory.resolve(POINTER_FILE);
        if (!Files.exists(file)) {
            return Pointer.NONE;
        }
        try {
            JsonObject o = StrictJson.parse(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
            if (o.get("format").getAsInt() != FORMAT) {
                throw new IOException("The vault file " + file + " is of a newer version of P2P Chat; use that one.");
            }
            String folder = o.get("folder").getAsString();
            if (!FOLDER.matcher(folder).matches()) {
                throw new JsonParseException("folder '" + folder + "'");
            }
            JsonElement passphrase = o.get("passphrase");
            if (passphrase == null || passphrase.isJsonNull()) {
                return new Pointer(folder, 0, new byte[0], new byte[0]);
            }
            JsonObject p = passphrase.getAsJsonObject();
            if (!VaultCipher.KDF.equals(p.get("kdf").getAsString())) {
                throw new JsonParseException("key derivation " + p.get("kdf"));
            }
            int iterations = p.get("iterations").getAsInt();
            if (iterations < 1) {
                throw new JsonParseException("iterations " + iterations);
            }
            Base64.Decoder b64 = Base64.getDecoder();
            return new Pointer(folder, iterations, b64.decode(p.get("salt").getAsString()),
                    b64.decode(p.get("check").getAsString()));
        } catch (JsonParseException | IllegalStateException | IllegalArgumentException | NullPointerException
                | UnsupportedOperationException e) {
            throw new IOException("The vault file " + file + " is damaged (" + e.getMessage()
                    + "); the profile's secrets cannot be found without it.", e);
        }
    }

    /** The secrets as they are, if there is no passphrase; empty if there is one. */
    Optional<Opened> openWithoutPassphrase() throws IOException {
        Pointer p = pointer();
        return p.hasPassphrase() ? Optional.empty() : Optional.of(new Opened(p, null));
    }

    /**
     * The secrets, opened with {@code passphrase} (ignored if there is no passphrase). Reads only.
     *
     * @throws WrongPassphraseException if it is not the profile's passphrase
     */
    Opened open(char[] passphrase) throws IOException, WrongPassphraseException {
        Pointer p = pointer();
        if (!p.hasPassphrase()) {
            return new Opened(p, null);
        }
        if (passphrase == null || passphrase.length == 0) {
            throw new WrongPassphraseException("This profile is protected by a passphrase; none was given.");
        }
        VaultCipher cipher = VaultCipher.derive(passphrase, p.salt(), p.iterations());
        if (!cipher.opensCheck(p.check())) {
            throw new WrongPassphraseException("Wrong passphrase: it is not this profile's passphrase. "
                    + "Nothing was changed; try again.");
        }
        return new Opened(p, cipher);
    }

    Optional<byte[]> read(Opened opened, String name) throws IOException {
        Path file = folder(opened.pointer()).resolve(checkName(name));
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        byte[] stored = Files.readAllBytes(file);
        if (opened.cipher() == null) {
            return Optional.of(stored);
        }
        try {
            return Optional.of(opened.cipher().open(name, stored));
        } catch (AEADBadTagException e) {
            throw new IOException("The secret '" + name + "' in " + file + " is damaged: it does not open with the "
                    + "profile's passphrase.", e);
        }
    }

    void write(Opened opened, String name, byte[] secret) throws IOException {
        checkName(name);
        synchronized (monitor) {
            try (Held lock = lock()) {
                if (!pointer().folder().equals(opened.pointer().folder())) {
                    throw new IOException("The profile's passphrase was changed by another process; start again.");
                }
                Path folder = Profiles.ensurePrivateDirectory(folder(opened.pointer()));
                writeAtomically(folder.resolve(name), opened.cipher() == null ? secret : opened.cipher().seal(name, secret));
            }
        }
    }

    /**
     * Writes every secret again under {@code next} (none if null or empty) and switches to them;
     * all or nothing.
     *
     * @param current the secrets as they are now (opened with the passphrase there is now)
     * @return the secrets as they are afterwards
     */
    Opened change(Opened current, char[] next) throws IOException {
        synchronized (monitor) {
            try (Held lock = lock()) {
                if (!pointer().folder().equals(current.pointer().folder())) {
                    throw new IOException("The profile's passphrase was changed by another process; start again.");
                }
                Map<String, byte[]> secrets = new LinkedHashMap<>();
                for (String name : names(current.pointer())) {
                    secrets.put(name, read(current, name).orElseThrow());
                }
                Opened changed;
                if (next == null || next.length == 0) {
                    changed = new Opened(new Pointer(newFolderName(), 0, new byte[0], new byte[0]), null);
                } else {
                    byte[] salt = VaultCipher.randomBytes(VaultCipher.SALT_BYTES);
                    VaultCipher cipher = VaultCipher.derive(next, salt, VaultCipher.DEFAULT_ITERATIONS);
                    changed = new Opened(new Pointer(newFolderName(), VaultCipher.DEFAULT_ITERATIONS, salt,
                            cipher.sealCheck()), cipher);
                }
                Path folder = folder(changed.pointer());
                Files.createDirectory(folder, ownerOnly("rwx------"));
                Profiles.ensurePrivateDirectory(folder);
                for (Map.Entry<String, byte[]> s : secrets.entrySet()) {
                    byte[] stored = changed.cipher() == null ? s.getValue() : changed.cipher().seal(s.getKey(), s.getValue());
                    writeAtomically(folder.resolve(s.getKey()), stored);
                }
                force(folder);
                // The switch: before this line the old state is the profile's, after it the new one.
                writeAtomically(directory.resolve(POINTER_FILE), pointerJson(changed.pointer()));
                removeFoldersOtherThan(changed.pointer());
                return changed;
            }
        }
    }

    /**
     * Deletes secret folders {@code vault.json} does not point at: what a change cut short left
     * (the new folder before the switch, the old one after it). Skipped while another process holds
     * the vault's lock.
     */
    void removeLeftovers() throws IOException {
        synchronized (monitor) {
            try (FileChannel channel = openLockFile(); FileLock lock = channel.tryLock()) {
                if (lock != null) {
                    removeFoldersOtherThan(pointer());
                }
            }
        }
    }

    private void removeFoldersOtherThan(Pointer current) throws IOException {
        List<Path> stale;
        try (Stream<Path> entries = Files.list(directory)) {
            stale = entries.filter(p -> FOLDER.matcher(p.getFileName().toString()).matches())
                    .filter(p -> !p.getFileName().toString().equals(current.folder())).toList();
        }
        for (Path folder : stale) {
            try (Stream<Path> files = Files.list(folder)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
                Files.deleteIfExists(folder);
            } catch (IOException e) {
                LOG.log(Level.WARNING, "could not remove the old secrets folder " + folder, e);
            }
        }
    }

    private List<String> names(Pointer pointer) throws IOException {
        Path folder = folder(pointer);
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> NAME.matcher(n).matches()).sorted().toList();
        }
    }

    private Path folder(Pointer pointer) {
        return directory.resolve(pointer.folder());
    }

    private static String newFolderName() {
        return FOLDER_PREFIX + HexFormat.of().formatHex(VaultCipher.randomBytes(8));
    }

    private static String checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a secret's name: " + name);
        }
        return name;
    }

    /** The vault's lock, held until closed. */
    private interface Held extends AutoCloseable {
        @Override
        void close() throws IOException;
    }

    private Held lock() throws IOException {
        FileChannel channel = openLockFile();
        try {
            FileLock lock = channel.lock();
            return () -> {
                try {
                    lock.release();
                } finally {
                    channel.close();
                }
            };
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private FileChannel openLockFile() throws IOException {
        return FileChannel.open(directory.resolve(LOCK_FILE), java.util.Set.of(StandardOpenOption.CREATE,
                StandardOpenOption.WRITE), ownerOnly("rw-------"));
    }

    private static byte[] pointerJson(Pointer p) {
        JsonObject o = new JsonObject();
        o.addProperty("format", FORMAT);
        o.addProperty("folder", p.folder());
        if (p.hasPassphrase()) {
            JsonObject k = new JsonObject();
            k.addProperty("kdf", VaultCipher.KDF);
            k.addProperty("iterations", p.iterations());
            k.addProperty("salt", Base64.getEncoder().encodeToString(p.salt()));
            k.addProperty("check", Base64.getEncoder().encodeToString(p.check()));
            k.addProperty("cipher", "AES-256-GCM");
            o.add("passphrase", k);
        }
        return (o + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** Writes {@code file} owner-only through a temporary file, on disk before it replaces the old one. */
    static void writeAtomically(Path file, byte[] content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + "." + HexFormat.of().formatHex(VaultCipher.randomBytes(4)) + ".tmp");
        try {
            try (FileChannel out = FileChannel.open(tmp, java.util.Set.of(StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE), ownerOnly("rw-------"))) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                out.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            force(file.getParent());
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Puts a folder's entries on disk (a rename is durable only then); where the platform can. */
    private static void force(Path folder) {
        try (FileChannel dir = FileChannel.open(folder, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Not every platform opens folders; the rename is still atomic.
        }
    }

    private static FileAttribute<?>[] ownerOnly(String permissions) {
        if (!java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return new FileAttribute<?>[0];
        }
        return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions))};
    }
}
