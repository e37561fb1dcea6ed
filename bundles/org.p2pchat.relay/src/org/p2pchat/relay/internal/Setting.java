package org.p2pchat.relay.internal;

import java.nio.file.Path;

/**
 * One value for a config key and where it was given (a line of the config file, or a command-line
 * option), so that a message about it points there.
 *
 * @param file the config file, or null for a command-line option
 * @param line the line in {@code file}
 */
record Setting(String key, String value, Path file, int line) {

    static Setting option(String key, String value) {
        return new Setting(key, value, null, 0);
    }

    static Setting fromFile(String key, String value, Path file, int line) {
        return new Setting(key, value, file, line);
    }

    /** "relay.conf line 3: port must be ..." or "--port must be ...". */
    ConfigException invalid(String problem) {
        return new ConfigException(file == null ? "--" + key + " " + problem
                : file + " line " + line + ": " + key + " " + problem);
    }
}
