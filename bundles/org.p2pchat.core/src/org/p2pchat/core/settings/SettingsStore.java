package org.p2pchat.core.settings;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/** The settings of the running profile; an OSGi service. */
@ProviderType
public interface SettingsStore {

    /** Framework or system property naming the profile directory. */
    String PROFILE_PROPERTY = "p2pchat.profile";

    /** The directory this profile keeps its files in (settings, later keys and transfers). */
    Path profileDirectory();

    /** The current settings; defaults if none were saved. */
    Settings get();

    /**
     * Validates and writes the settings atomically, then makes them current.
     *
     * @throws IllegalArgumentException naming the first invalid entry; nothing is written
     * @throws IOException if the file cannot be written; the previous file is intact
     */
    void save(Settings settings) throws IOException;

    /**
     * What went wrong reading the settings file, if anything (the unreadable file is kept beside
     * it and defaults are used), and which plug-ins' sections could not be read as their owners'
     * types (they get their defaults; see {@link SettingsSection#read}).
     */
    Optional<String> loadProblem();

    /**
     * The settings plug-in {@code id} owns (a connection provider, the file transfer), stored under
     * that id in the same file; see {@link SettingsSection}.
     */
    SettingsSection section(String id);
}
