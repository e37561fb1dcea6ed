package org.p2pchat.files.bt.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.Locale;
import java.util.Set;

import org.p2pchat.core.text.DisplayNames;

/**
 * Turns a name the peer chose into a safe file name, and picks a free one in a folder. The peer
 * may be hostile: nothing it sends can name another folder, a device, or an existing file.
 */
public final class FileNames {

    /** UTF-8 bytes; leaves room for " (999)" and ".part" under the common 255-byte limit. */
    static final int MAX_NAME_BYTES = 200;
    static final String PART_SUFFIX = ".part";
    private static final int MAX_EXTENSION_CHARS = 16;
    private static final int MAX_NUMBERED = 9999;
    private static final Set<String> WINDOWS_RESERVED = Set.of("CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
            "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
            "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9");

    private FileNames() {
    }

    /** A name that is one plain file name on Linux, macOS and Windows alike; never empty. */
    public static String sanitize(String offered) {
        if (offered == null) {
            return "file";
        }
        String s = Normalizer.normalize(offered, Normalizer.Form.NFC);
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> {
            if (Character.isWhitespace(cp)) {
                b.append(' '); // tabs and line breaks too: a name is one line
                return;
            }
            if (DisplayNames.isInvisible(cp)) {
                return; // invisible or direction-flipping characters disguise names, as in display names
            }
            if ("/\\:*?\"<>|".indexOf(cp) >= 0) {
                b.append('_');
            } else {
                b.appendCodePoint(cp);
            }
        });
        // Leading dots make hidden files or ".."; Windows drops trailing dots and spaces.
        String name = strip(b.toString());
        if (name.isEmpty()) {
            name = "file";
        }
        String stem = stem(name);
        String upperStem = stem.toUpperCase(Locale.ROOT).strip();
        if (WINDOWS_RESERVED.contains(upperStem)) {
            name = "_" + name;
        }
        return truncate(name);
    }

    private static String strip(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && (s.charAt(start) == '.' || s.charAt(start) == ' ')) {
            start++;
        }
        while (end > start && (s.charAt(end - 1) == '.' || s.charAt(end - 1) == ' ')) {
            end--;
        }
        return s.substring(start, end);
    }

    private static String stem(String name) {
        int dot = name.indexOf('.');
        return dot < 0 ? name : name.substring(0, dot);
    }

    private static String extension(String name) {
        int dot = name.lastIndexOf('.');
        if (dot <= 0 || name.length() - dot > MAX_EXTENSION_CHARS) {
            return "";
        }
        return name.substring(dot);
    }

    /** Cuts to {@link #MAX_NAME_BYTES} UTF-8 bytes, keeping a short extension and whole code points. */
    static String truncate(String name) {
        if (utf8Length(name) <= MAX_NAME_BYTES) {
            return name;
        }
        String ext = extension(name);
        String base = name.substring(0, name.length() - ext.length());
        int budget = MAX_NAME_BYTES - utf8Length(ext);
        StringBuilder b = new StringBuilder();
        int used = 0;
        for (int i = 0; i < base.length();) {
            int cp = base.codePointAt(i);
            int n = utf8Length(new String(Character.toChars(cp)));
            if (used + n > budget) {
                break;
            }
            b.appendCodePoint(cp);
            used += n;
            i += Character.charCount(cp);
        }
        return strip(b.toString()) + ext;
    }

    private static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    /** "name (n).ext" */
    static String numbered(String name, int n) {
        String ext = extension(name);
        String base = name.substring(0, name.length() - ext.length());
        return base + " (" + n + ")" + ext;
    }

    /**
     * Claims a file name in {@code directory} for a download: the first of {@code name},
     * "name (1)"... for which neither the file nor its ".part" exists, and creates the ".part"
     * so nobody else takes it.
     *
     * @return the final path; the download itself goes to {@link #partOf(Path)}
     */
    static Path claim(Path directory, String name) throws IOException {
        String safe = sanitize(name);
        Path dir = directory.toAbsolutePath().normalize();
        for (int n = 0; n <= MAX_NUMBERED; n++) {
            String candidate = n == 0 ? safe : numbered(safe, n);
            Path target = dir.resolve(candidate);
            if (!dir.equals(target.getParent())) {
                throw new IOException("unsafe file name: " + candidate); // cannot happen after sanitize
            }
            if (Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            try {
                Files.createFile(partOf(target));
                return target;
            } catch (FileAlreadyExistsException e) {
                // taken: try the next number
            }
        }
        throw new IOException("no free file name for " + safe + " in " + dir);
    }

    static Path partOf(Path target) {
        return target.resolveSibling(target.getFileName() + PART_SUFFIX);
    }

    /**
     * Moves a finished download to its final name without ever replacing a file: if the name was
     * taken meanwhile, the next free number is used.
     */
    static Path publish(Path part, Path target) throws IOException {
        Path candidate = target;
        String name = target.getFileName().toString();
        for (int n = 1; n <= MAX_NUMBERED + 1; n++) {
            try {
                // A hard link fails if the name exists, unlike a rename, which would replace it.
                Files.createLink(candidate, part);
                Files.delete(part);
                return candidate;
            } catch (FileAlreadyExistsException e) {
                candidate = target.resolveSibling(numbered(name, n));
            } catch (UnsupportedOperationException | IOException e) {
                // No hard links here (some file systems): check, then move without replacing.
                if (Files.exists(candidate, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    candidate = target.resolveSibling(numbered(name, n));
                    continue;
                }
                Files.move(part, candidate);
                return candidate;
            }
        }
        throw new IOException("no free file name for " + name);
    }
}
