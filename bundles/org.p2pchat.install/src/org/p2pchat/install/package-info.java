/**
 * Installing, updating and removing plug-in features of the running client from update sites:
 * the {@link org.p2pchat.install.PluginInstallation} service, which the desktop client's install
 * dialogs call. Headless: it works on the installation's own p2 profile, the one the
 * {@code p2pchat install|uninstall|list} commands change.
 */
@org.osgi.annotation.versioning.Version("0.1.0")
package org.p2pchat.install;
