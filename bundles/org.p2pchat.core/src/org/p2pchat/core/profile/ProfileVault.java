package org.p2pchat.core.profile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The unlocked profile's secrets; an OSGi service registered once the profile is unlocked. A secret
 * is stored in the profile directory (owner-only), encrypted with a key derived from the passphrase
 * when the profile has one, as is when it has none.
 */
@ProviderType
public interface ProfileVault {

    /** The profile directory. */
    Path directory();

    /** Whether the profile has a passphrase (its secrets are encrypted at rest). */
    boolean hasPassphrase();

    /**
     * The secret named {@code name} ({@code [a-z0-9-]+}), {@code length} random bytes made and
     * stored the first time it is asked for.
     */
    byte[] secret(String name, int length) throws IOException;

    /** A stored secret the caller wrote itself (the identity key), if there is one. */
    Optional<byte[]> read(String name) throws IOException;

    /** Stores a secret the caller made (replacing one of that name). */
    void write(String name, byte[] secret) throws IOException;
}
