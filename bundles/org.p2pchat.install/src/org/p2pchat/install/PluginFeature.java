package org.p2pchat.install;

/**
 * A feature (a plug-in a person can install) as an update site offers it or as it is installed.
 *
 * @param id the feature's id, such as {@code org.p2pchat.lan.feature}
 * @param version its version
 * @param name its name for people (the id when it has none)
 * @param description what it does (empty when it says nothing)
 */
public record PluginFeature(String id, String version, String name, String description) {
}
