package org.p2pchat.install;

import java.net.URI;
import java.util.List;

/**
 * What an update site offers.
 *
 * @param location the site's p2 repository location
 * @param categories its categories, by name; a site without categories has one, "Other", with all its features
 */
public record UpdateSite(URI location, List<SiteCategory> categories) {

    public UpdateSite {
        categories = List.copyOf(categories);
    }
}
