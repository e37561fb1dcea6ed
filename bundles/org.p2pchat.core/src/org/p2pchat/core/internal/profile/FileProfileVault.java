package org.p2pchat.core.internal.profile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

import org.p2pchat.core.profile.ProfileVault;

/** The unlocked profile's secrets in its {@link VaultStore}; follows a change of the passphrase. */
final class FileProfileVault implements ProfileVault {

    private final VaultStore store;
    private VaultStore.Opened opened;

    FileProfileVault(VaultStore store, VaultStore.Opened opened) {
        this.store = store;
        this.opened = opened;
    }

    /**
     * Writes every secret again under {@code next} (see {@link VaultStore#change}) and goes on with
     * them; no secret is read or written meanwhile.
     */
    synchronized void change(char[] next) throws IOException {
        opened = store.change(opened, next);
    }

    @Override
    public Path directory() {
        return store.directory();
    }

    @Override
    public synchronized boolean hasPassphrase() {
        return opened.pointer().hasPassphrase();
    }

    @Override
    public synchronized byte[] secret(String name, int length) throws IOException {
        Optional<byte[]> stored = store.read(opened, name);
        if (stored.isPresent()) {
            return stored.get();
        }
        byte[] made = VaultCipher.randomBytes(length);
        store.write(opened, name, made);
        return made;
    }

    @Override
    public synchronized Optional<byte[]> read(String name) throws IOException {
        return store.read(opened, name);
    }

    @Override
    public synchronized void write(String name, byte[] secret) throws IOException {
        store.write(opened, name, secret);
    }
}
