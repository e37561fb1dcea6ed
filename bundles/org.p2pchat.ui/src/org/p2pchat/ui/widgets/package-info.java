/**
 * Widgets shared by the desktop client's bundles (the client and the plug-ins that contribute to
 * its window, such as the settings dialog), so that they look and behave the same.
 */
@org.osgi.annotation.versioning.Version("0.1.1")
package org.p2pchat.ui.widgets;
