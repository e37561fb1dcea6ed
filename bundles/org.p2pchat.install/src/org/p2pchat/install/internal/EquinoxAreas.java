package org.p2pchat.install.internal;

import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Path;

/** Equinox's locations as folders. No p2 class is loaded here: it runs while the client starts. */
final class EquinoxAreas {

    private EquinoxAreas() {
    }

    /** The folder of a location property such as {@code osgi.install.area} (a file: URL). */
    static Path folder(String property, String area) {
        if (area == null) {
            throw new IllegalStateException(property + " is not set: not running in an installation");
        }
        try {
            return Path.of(new URL(area).getPath()).toAbsolutePath();
        } catch (MalformedURLException e) {
            throw new IllegalStateException(property + " is no URL: " + area, e);
        }
    }
}
