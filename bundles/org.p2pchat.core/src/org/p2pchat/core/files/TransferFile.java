package org.p2pchat.core.files;

import java.nio.file.Path;
import java.util.Optional;

/**
 * One file of a transfer as offered.
 *
 * @param name    the name to show: for received files, already made safe for the file system
 * @param size    in bytes
 * @param type    media type as the sender guessed it, {@code application/octet-stream} if unknown
 * @param savedAs for a file we receive, where it is saved once accepted (its final name: a name
 *                already taken in the folder gets " (1)", " (2)"...); empty for files we send
 *                and before the transfer is accepted
 */
public record TransferFile(String name, long size, String type, Optional<Path> savedAs) {

    public TransferFile {
        savedAs = savedAs == null ? Optional.empty() : savedAs;
    }

    /** A file that is not (yet) saved here: one we send, or one offered to us. */
    public TransferFile(String name, long size, String type) {
        this(name, size, type, Optional.empty());
    }
}
