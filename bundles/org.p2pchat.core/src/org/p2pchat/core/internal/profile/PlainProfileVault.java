package org.p2pchat.core.internal.profile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.p2pchat.core.profile.ProfileVault;
import org.p2pchat.core.settings.Profiles;
import org.p2pchat.core.settings.SettingsStore;

/**
 * CONTRACT PLACEHOLDER: the vault of a profile without a passphrase, secrets kept as they are in
 * {@code secrets/} (owner-only). The profile lock (passphrase, encryption) replaces it.
 */
@Component(service = ProfileVault.class)
public final class PlainProfileVault implements ProfileVault {

    private static final Pattern NAME = Pattern.compile("[a-z0-9-]+");

    @Reference
    private SettingsStore settings;
    private Path directory;

    /** For DS. */
    public PlainProfileVault() {
    }

    /** For use outside a framework. */
    public PlainProfileVault(Path profileDirectory) {
        this.directory = profileDirectory;
    }

    @Activate
    void activate() {
        directory = settings.profileDirectory();
    }

    @Override
    public Path directory() {
        return directory;
    }

    @Override
    public boolean hasPassphrase() {
        return false;
    }

    @Override
    public synchronized byte[] secret(String name, int length) throws IOException {
        Optional<byte[]> stored = read(name);
        if (stored.isPresent()) {
            return stored.get();
        }
        byte[] made = new byte[length];
        new SecureRandom().nextBytes(made);
        write(name, made);
        return made;
    }

    @Override
    public synchronized Optional<byte[]> read(String name) throws IOException {
        Path file = file(name);
        return Files.exists(file) ? Optional.of(Files.readAllBytes(file)) : Optional.empty();
    }

    @Override
    public synchronized void write(String name, byte[] secret) throws IOException {
        Path file = file(name);
        Profiles.ensurePrivateDirectory(file.getParent());
        Path tmp = file.resolveSibling(name + ".tmp");
        Files.write(tmp, secret);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private Path file(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a secret's name: " + name);
        }
        return directory.resolve("secrets").resolve(name);
    }
}
