package org.p2pchat.signaling.dht.tests;

import java.util.function.Supplier;

import org.p2pchat.core.settings.SettingsSection;

/** A provider's settings section kept in memory, as a profile's would be read from settings.json. */
final class MemorySettings implements SettingsSection {

    private final String id;
    private volatile Object value;

    MemorySettings(String id, Object value) {
        this.id = id;
        this.value = value;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public <T> T read(Class<T> type, Supplier<T> defaults) {
        Object v = value;
        return type.isInstance(v) ? type.cast(v) : defaults.get();
    }

    @Override
    public void write(Object newValue) {
        value = newValue;
    }
}
