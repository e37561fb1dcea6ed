package org.p2pchat.core.tests.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;
import org.p2pchat.core.identity.IdentityService;
import org.p2pchat.core.settings.SettingsStore;

/** The identity service as the running framework provides it: its key lives in the profile. */
class IdentityServiceComponentTest {

    @Test
    void theServiceKeepsItsKeyInTheProfileDirectory() throws Exception {
        BundleContext context = FrameworkUtil.getBundle(IdentityServiceComponentTest.class).getBundleContext();
        ServiceTracker<IdentityService, IdentityService> identities = new ServiceTracker<>(context, IdentityService.class, null);
        ServiceTracker<SettingsStore, SettingsStore> stores = new ServiceTracker<>(context, SettingsStore.class, null);
        identities.open();
        stores.open();
        try {
            IdentityService identity = identities.waitForService(10_000);
            assertNotNull(identity, "no IdentityService service");
            Path key = stores.waitForService(10_000).profileDirectory().resolve("identity.key");
            assertTrue(Files.exists(key), key.toString());
            assertEquals(identity.self().key(), Files.readAllLines(key).get(1).strip());
        } finally {
            identities.close();
            stores.close();
        }
    }
}
