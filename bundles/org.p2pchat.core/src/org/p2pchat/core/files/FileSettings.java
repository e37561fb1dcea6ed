package org.p2pchat.core.files;

import java.util.List;
import java.util.Optional;

import org.p2pchat.core.settings.ServiceEntry;
import org.p2pchat.core.settings.SettingsSection;
import org.p2pchat.core.settings.SettingsStore;

/**
 * The file transfer's settings, its {@link SettingsSection} {@value #SECTION} of the profile
 * (read with {@code store.section(FileSettings.SECTION).read(FileSettings.class, FileSettings::defaults)}).
 *
 * @param trackers BitTorrent trackers
 */
public record FileSettings(List<ServiceEntry> trackers) {

    /** The section's id in {@link SettingsStore#section(String)}. */
    public static final String SECTION = "files";

    private static final List<ServiceEntry> DEFAULT_TRACKERS = List.of(
            new ServiceEntry("OpenWebTorrent", "wss://tracker.openwebtorrent.com", false, true),
            new ServiceEntry("WebTorrent.dev", "wss://tracker.webtorrent.dev", false, true));

    /** A field missing from the file (older version, hand edit) takes its default. */
    public FileSettings {
        trackers = ServiceEntry.listOrDefaults(trackers, DEFAULT_TRACKERS);
    }

    /** What a new profile starts with. */
    public static FileSettings defaults() {
        return new FileSettings(null);
    }

    /** The first invalid tracker, named for the user; empty if all are usable. */
    public Optional<String> problem() {
        return ServiceEntry.problemOf("tracker", trackers);
    }
}
