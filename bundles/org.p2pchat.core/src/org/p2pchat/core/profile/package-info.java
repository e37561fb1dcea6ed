/**
 * The running profile's lock and vault: an optional passphrase that protects the profile's secrets
 * (the identity key, the history's key) at rest. {@link org.p2pchat.core.profile.ProfileLock} is
 * always registered; {@link org.p2pchat.core.profile.ProfileVault} is registered once the profile is
 * unlocked (at once for a profile without a passphrase), so every service that needs a secret waits
 * for it by referencing the vault.
 */
@org.osgi.annotation.versioning.Version("1.0.0")
package org.p2pchat.core.profile;
