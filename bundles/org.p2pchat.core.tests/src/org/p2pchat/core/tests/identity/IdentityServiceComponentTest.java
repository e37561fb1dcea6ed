package org.p2pchat.core.tests.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

/** The identity service as the running framework provides it: its key lives in the profile's vault. */
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
            Path profile = stores.waitForService(10_000).profileDirectory();
            Path key = profile.resolve("secrets/identity-key"); // the test profile has no passphrase
            assertTrue(Files.exists(key), key.toString());
            assertEquals(identity.self().key(), Files.readAllLines(key).get(1).strip());
            assertFalse(Files.exists(profile.resolve("identity.key")), "the plain key file of earlier versions");
        } finally {
            identities.close();
            stores.close();
        }
    }
}
