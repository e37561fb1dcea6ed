package org.p2pchat.core.internal.profile;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.p2pchat.core.profile.ProfileLock;
import org.p2pchat.core.profile.ProfileVault;
import org.p2pchat.core.profile.WrongPassphraseException;
import org.p2pchat.core.settings.SettingsStore;

/**
 * The running profile's lock: registers the {@link ProfileVault} service at once for a profile
 * without a passphrase, after {@link #unlock} for one with. For non-interactive starts the framework
 * property {@value #PASSPHRASE_FILE_PROPERTY} may name a file whose first line is the passphrase
 * (owner-only, as the profile); a wrong one is logged and the profile stays locked.
 * <p>
 * A change of the passphrase leaves the lock as it was: a locked profile stays locked.
 */
// Immediate: it registers the vault, and nobody asks for the lock first.
@Component(service = ProfileLock.class, immediate = true)
public final class PassphraseProfileLock implements ProfileLock {

    public static final String PASSPHRASE_FILE_PROPERTY = "p2pchat.passphrase.file";
    private static final System.Logger LOG = System.getLogger(PassphraseProfileLock.class.getName());

    @Reference
    private SettingsStore settings;

    private VaultStore store;
    private BundleContext context;
    // Guarded by this:
    private FileProfileVault vault;
    private ServiceRegistration<ProfileVault> registration;
    private boolean active = true;

    /** For DS. */
    public PassphraseProfileLock() {
    }

    /**
     * For use outside a framework: the lock of the profile in {@code profileDirectory}, unlocked at
     * once if it has no passphrase; {@link #vault()} gives the vault once it is unlocked.
     */
    public PassphraseProfileLock(Path profileDirectory) throws IOException {
        open(profileDirectory);
    }

    @Activate
    void activate(BundleContext bundleContext) {
        context = bundleContext;
        try {
            open(settings.profileDirectory());
        } catch (IOException e) {
            // Registered anyway, locked: unlocking says what is wrong, and the clients show it.
            LOG.log(Level.ERROR, "The profile's vault cannot be read; it stays locked.", e);
            return;
        }
        String file = bundleContext.getProperty(PASSPHRASE_FILE_PROPERTY);
        if (!isUnlocked() && file != null && !file.isBlank()) {
            char[] passphrase = null;
            try {
                passphrase = readPassphraseFile(Path.of(file));
                unlock(passphrase);
            } catch (IOException | WrongPassphraseException e) {
                LOG.log(Level.ERROR, "-D" + PASSPHRASE_FILE_PROPERTY + "=" + file + ": " + e.getMessage()
                        + " The profile stays locked.");
            } finally {
                if (passphrase != null) {
                    Arrays.fill(passphrase, '\0');
                }
            }
        }
    }

    @Deactivate
    void deactivate() {
        ServiceRegistration<ProfileVault> registered;
        synchronized (this) {
            active = false;
            registered = registration;
            registration = null;
        }
        if (registered != null) {
            try {
                registered.unregister();
            } catch (IllegalStateException e) {
                // unregistered with the bundle already
            }
        }
    }

    private void open(Path directory) throws IOException {
        store = new VaultStore(directory);
        store.removeLeftovers();
        Optional<VaultStore.Opened> plain = store.openWithoutPassphrase();
        if (plain.isPresent()) {
            unlocked(plain.get());
        }
    }

    /** The vault, once unlocked. */
    public synchronized Optional<ProfileVault> vault() {
        return Optional.ofNullable(vault);
    }

    @Override
    public Path directory() {
        return store.directory();
    }

    @Override
    public boolean hasPassphrase() {
        FileProfileVault v = currentVault();
        if (v != null) {
            return v.hasPassphrase();
        }
        try {
            return store.pointer().hasPassphrase();
        } catch (IOException e) {
            return true; // unreadable: treated as locked, and unlocking says why
        }
    }

    @Override
    public synchronized boolean isUnlocked() {
        return vault != null;
    }

    @Override
    public void unlock(char[] passphrase) throws WrongPassphraseException {
        if (isUnlocked()) {
            return;
        }
        try {
            unlocked(store.open(passphrase));
        } catch (IOException e) {
            // The files cannot be read: the person learns why, and nothing changes either way.
            throw new WrongPassphraseException("The profile cannot be unlocked: " + e.getMessage());
        }
    }

    @Override
    public void setPassphrase(char[] current, char[] next) throws WrongPassphraseException {
        FileProfileVault v = currentVault();
        try {
            VaultStore.Opened now = store.open(current); // refuses a wrong passphrase before anything is written
            if (v != null) {
                v.change(next);
            } else {
                store.change(now, next);
            }
        } catch (IOException e) {
            throw new IllegalStateException("The passphrase was not changed: " + e.getMessage(), e);
        }
    }

    private synchronized FileProfileVault currentVault() {
        return vault;
    }

    private void unlocked(VaultStore.Opened opened) {
        FileProfileVault made;
        synchronized (this) {
            if (vault != null) {
                return;
            }
            made = new FileProfileVault(store, opened);
            vault = made;
        }
        if (context != null) {
            // Outside the lock: registering starts what waits for the vault (identity, history).
            ServiceRegistration<ProfileVault> registered = context.registerService(ProfileVault.class, made, null);
            boolean keep;
            synchronized (this) {
                keep = active;
                if (keep) {
                    registration = registered;
                }
            }
            if (!keep) {
                registered.unregister();
            }
        }
    }

    /** The first line of {@code file}, without its line end. */
    static char[] readPassphraseFile(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes));
            int end = 0;
            while (end < chars.limit() && chars.get(end) != '\n' && chars.get(end) != '\r') {
                end++;
            }
            char[] line = new char[end];
            chars.get(0, line);
            Arrays.fill(chars.array(), '\0');
            return line;
        } catch (CharacterCodingException e) {
            throw new IOException(file + " is not UTF-8 text", e);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

}
