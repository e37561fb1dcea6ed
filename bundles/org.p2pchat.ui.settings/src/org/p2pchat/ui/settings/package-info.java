/**
 * Settings pages that plug-ins contribute to the desktop client's settings dialog, and the list
 * editor they share with the dialog's own pages. See {@link org.p2pchat.ui.settings.SettingsPages}.
 */
@org.osgi.annotation.versioning.Version("0.1.0")
package org.p2pchat.ui.settings;
