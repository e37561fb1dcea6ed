package org.p2pchat.core.settings;

import java.io.IOException;
import java.util.function.Supplier;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The settings one plug-in owns (a connection provider's services, the file transfer's trackers),
 * stored under its id in the profile's {@code settings.json}, so core's {@link Settings} does not
 * grow a field whenever a plug-in needs one. The value is the plug-in's own record, read and
 * written as JSON.
 */
@ProviderType
public interface SettingsSection {

    /** The owner's id, e.g. {@code dht}. */
    String id();

    /**
     * The section as {@code type}; {@code defaults} when the profile has none yet, or when what it
     * has cannot be read as {@code type} (the problem is kept in {@link SettingsStore#loadProblem()}
     * and the file is left as it is until the section is written).
     */
    <T> T read(Class<T> type, Supplier<T> defaults);

    /** Replaces the section's value and saves the profile. */
    void write(Object value) throws IOException;
}
