package org.p2pchat.install;

import java.util.List;

/**
 * A category of an update site and the features it holds.
 *
 * @param name the category's name for people, such as "P2P Chat Connection Methods"
 * @param description what it holds (may be empty)
 * @param features its features, by name
 */
public record SiteCategory(String name, String description, List<PluginFeature> features) {

    public SiteCategory {
        features = List.copyOf(features);
    }
}
