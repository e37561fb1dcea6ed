package org.p2pchat.core.tests.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.util.tracker.ServiceTracker;
import org.p2pchat.core.internal.settings.JsonSettingsStore;
import org.p2pchat.core.settings.SettingsStore;

/**
 * The settings store as the running framework provides it. The test run sets
 * {@code -Dp2pchat.profile} to a directory under {@code target/} (see this module's pom.xml).
 */
class SettingsStoreComponentTest {

    private static final long WAIT_MILLIS = 10_000;

    private final BundleContext context = FrameworkUtil.getBundle(SettingsStoreComponentTest.class).getBundleContext();
    private ServiceTracker<SettingsStore, SettingsStore> stores;
    private ServiceTracker<ServiceComponentRuntime, ServiceComponentRuntime> runtimes;

    @BeforeEach
    void track() {
        stores = new ServiceTracker<>(context, SettingsStore.class, null);
        stores.open();
        runtimes = new ServiceTracker<>(context, ServiceComponentRuntime.class, null);
        runtimes.open();
    }

    @AfterEach
    void untrack() {
        stores.close();
        runtimes.close();
    }

    @Test
    void storeUsesTheConfiguredProfileDirectory() throws InterruptedException {
        String configured = context.getProperty(SettingsStore.PROFILE_PROPERTY);
        assertNotNull(configured, "the test run must set -D" + SettingsStore.PROFILE_PROPERTY);
        assertTrue(configured.endsWith("test-profile"), configured);

        SettingsStore store = stores.waitForService(WAIT_MILLIS);

        assertNotNull(store, "no SettingsStore service within " + WAIT_MILLIS + " ms");
        assertInstanceOf(JsonSettingsStore.class, store);
        assertEquals(Path.of(configured).toAbsolutePath().normalize(), store.profileDirectory());
        assertTrue(Files.isDirectory(store.profileDirectory()));
        assertTrue(store.loadProblem().isEmpty(), () -> store.loadProblem().get());
    }

    @Test
    void componentIsActive() throws InterruptedException {
        assertNotNull(stores.waitForService(WAIT_MILLIS), "no SettingsStore service within " + WAIT_MILLIS + " ms");
        ServiceComponentRuntime scr = runtimes.waitForService(WAIT_MILLIS);
        assertNotNull(scr, "no Service Component Runtime");
        Bundle core = FrameworkUtil.getBundle(SettingsStore.class);

        ComponentDescriptionDTO component = scr.getComponentDescriptionDTO(core, JsonSettingsStore.class.getName());

        assertNotNull(component, "no component " + JsonSettingsStore.class.getName() + " in " + core.getSymbolicName());
        assertTrue(scr.isComponentEnabled(component));
        int[] states = scr.getComponentConfigurationDTOs(component).stream().mapToInt(c -> c.state).toArray();
        assertEquals("[" + ComponentConfigurationDTO.ACTIVE + "]", Arrays.toString(states));
    }
}
