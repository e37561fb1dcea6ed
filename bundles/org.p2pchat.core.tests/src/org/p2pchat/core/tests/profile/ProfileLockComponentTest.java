package org.p2pchat.core.tests.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;
import org.p2pchat.core.profile.ProfileLock;
import org.p2pchat.core.profile.ProfileVault;
import org.p2pchat.core.settings.SettingsStore;

/** The running framework's lock: a profile without a passphrase has its vault registered at once. */
class ProfileLockComponentTest {

    @Test
    void aProfileWithoutAPassphraseIsUnlockedAtStart() throws Exception {
        BundleContext context = FrameworkUtil.getBundle(ProfileLockComponentTest.class).getBundleContext();
        ServiceTracker<ProfileLock, ProfileLock> locks = new ServiceTracker<>(context, ProfileLock.class, null);
        ServiceTracker<ProfileVault, ProfileVault> vaults = new ServiceTracker<>(context, ProfileVault.class, null);
        ServiceTracker<SettingsStore, SettingsStore> stores = new ServiceTracker<>(context, SettingsStore.class, null);
        locks.open();
        vaults.open();
        stores.open();
        try {
            // The vault first: it must come up without anyone asking for the lock.
            ProfileVault vault = vaults.waitForService(10_000);
            assertNotNull(vault, "no ProfileVault service");
            ProfileLock lock = locks.waitForService(10_000);
            assertNotNull(lock, "no ProfileLock service");
            assertFalse(lock.hasPassphrase());
            assertTrue(lock.isUnlocked());
            assertEquals(stores.waitForService(10_000).profileDirectory(), lock.directory());
            assertEquals(lock.directory(), vault.directory());
        } finally {
            locks.close();
            vaults.close();
            stores.close();
        }
    }
}
