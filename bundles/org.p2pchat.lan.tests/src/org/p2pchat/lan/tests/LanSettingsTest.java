package org.p2pchat.lan.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.core.internal.settings.JsonSettingsStore;
import org.p2pchat.core.settings.SettingsStore;
import org.p2pchat.lan.LanSettings;

/** The provider's settings section: defaults for what is missing, and no host name ever looked up. */
class LanSettingsTest {

    @TempDir
    Path profile;

    @Test
    void anEmptySectionAnnouncesOnTheDefaultGroupAndTheChoiceOfListenOnlyIsKept() throws Exception {
        SettingsStore store = new JsonSettingsStore(profile);
        assertEquals(LanSettings.defaults(), store.section(LanSettings.SECTION).read(LanSettings.class, LanSettings::defaults));
        Files.writeString(profile.resolve("settings.json"), "{\"sections\": {\"lan\": {\"listenOnly\": true}}}");
        LanSettings read = new JsonSettingsStore(profile).section(LanSettings.SECTION).read(LanSettings.class,
                LanSettings::defaults);
        assertTrue(read.listenOnly());
        assertEquals(LanSettings.DEFAULT_GROUP, read.group());
        assertEquals(LanSettings.DEFAULT_PORT, read.port());
        assertEquals(List.of(), read.interfaces());

        store.section(LanSettings.SECTION).write(read.withListenOnly(false));
        assertFalse(new JsonSettingsStore(profile).section(LanSettings.SECTION).read(LanSettings.class,
                LanSettings::defaults).listenOnly());
    }

    @Test
    void aGroupThatIsNoMulticastLiteralOrABadPortIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new LanSettings(false, "chat.example.org", 0, null));
        assertThrows(IllegalArgumentException.class, () -> new LanSettings(false, "192.0.2.1", 0, null));
        assertThrows(IllegalArgumentException.class, () -> new LanSettings(false, null, 70000, null));
        assertEquals("239.1.2.3", new LanSettings(false, " 239.1.2.3 ", 0, null).group());
    }
}
