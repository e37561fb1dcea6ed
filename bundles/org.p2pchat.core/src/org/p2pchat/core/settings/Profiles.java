package org.p2pchat.core.settings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Where a profile lives, and making its directory private. */
public final class Profiles {

    private Profiles() {
    }

    /**
     * The profile directory: {@code configured} if set, else {@code ~/.p2pchat/default}.
     */
    public static Path resolve(String configured) {
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        return Path.of(System.getProperty("user.home"), ".p2pchat", "default");
    }

    /** Creates the directory if needed, readable by its owner only (it will hold keys). */
    public static Path ensurePrivateDirectory(Path dir) throws IOException {
        Files.createDirectories(dir);
        try {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system: the platform's defaults apply.
        }
        return dir;
    }
}
