package org.p2pchat.core.profile;

import java.nio.file.Path;

import org.osgi.annotation.versioning.ProviderType;

/** Unlocks the running profile and sets its passphrase; an OSGi service, always registered. */
@ProviderType
public interface ProfileLock {

    /** The profile directory. */
    Path directory();

    /** Whether the profile's secrets are protected by a passphrase. */
    boolean hasPassphrase();

    /** Whether the {@link ProfileVault} is registered. */
    boolean isUnlocked();

    /**
     * Unlocks the profile: its {@link ProfileVault} is registered before this returns. Does nothing if
     * it is unlocked already.
     *
     * @throws WrongPassphraseException if {@code passphrase} is not the profile's; nothing changes
     */
    void unlock(char[] passphrase) throws WrongPassphraseException;

    /**
     * Sets, changes or removes the passphrase: every secret of the vault is written again, protected
     * by {@code next} (or unprotected if {@code next} is null or empty).
     *
     * @param current the passphrase now (ignored if there is none)
     * @throws WrongPassphraseException if {@code current} is wrong; nothing changes
     */
    void setPassphrase(char[] current, char[] next) throws WrongPassphraseException;
}
