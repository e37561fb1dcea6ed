package org.p2pchat.core.signaling;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;
import org.p2pchat.core.identity.PublicIdentity;
import org.p2pchat.core.settings.SettingsSection;

/** What a started provider gets from the client layer it serves. */
@ProviderType
public interface ProviderContext {

    /** The identity of the profile the provider serves; on an authenticated service it is our address. */
    PublicIdentity self();

    /** The name other people see. */
    String displayName();

    /** Whether to appear in public peer lists; an unlisted client is reachable by its address only. */
    boolean listed();

    /**
     * Services named for this run (the command line's {@code --service URL}): a provider that works
     * through services uses these instead of those in its settings; empty: its settings' ones.
     */
    List<URI> services();

    /** This provider's own settings, stored under its id in the profile. */
    SettingsSection settings();

    /**
     * Signs {@code message} with the profile's identity key for a purpose of the provider's own (a
     * request to its service): the signed bytes are {@code context + "\n" + message}, and the
     * contexts of identity proofs and safety numbers are refused, so a provider can never make a
     * proof for a description.
     *
     * @param context names the purpose, e.g. {@code p2pchat-rendezvous-v2}; must start with {@code p2pchat-}
     * @return the Ed25519 signature
     * @throws IllegalArgumentException for a reserved or malformed context
     */
    byte[] sign(String context, byte[] message);

    /**
     * The profile's directory, where a provider may keep files of its own (the log of a program
     * it started, say); empty where the client has none on disk.
     */
    default Optional<Path> profileDirectory() {
        return Optional.empty();
    }

    /** Where the provider reports what happens; calls may come from any thread. */
    ProviderCallback callback();
}
