package org.p2pchat.install;

/**
 * A newer version of an installed feature on a site the installation knows.
 *
 * @param installed the feature as installed
 * @param newer the version the site has
 */
public record AvailableUpdate(PluginFeature installed, PluginFeature newer) {
}
