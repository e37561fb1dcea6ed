package org.p2pchat.history;

import java.nio.file.Path;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Opens message histories; an OSGi service. The running profile's own history is also registered
 * as a {@link MessageHistory} service once the profile is unlocked (its key comes from the profile's
 * vault); tests and tools open others here.
 */
@ProviderType
public interface HistoryService {

    /**
     * Opens (creating if needed) the history kept in {@code profileDirectory}.
     *
     * @param key the database's encryption key (32 bytes), or empty for an unencrypted history
     * @throws HistoryException with a message a person can act on: the key is wrong, another
     *                          program has the history open, the file is damaged
     */
    MessageHistory open(Path profileDirectory, Optional<byte[]> key) throws HistoryException;

    /** A history kept in memory only (a test's second profile, a throwaway client). */
    MessageHistory openInMemory();

    /**
     * Why the running profile's history could not be opened (so no {@link MessageHistory} service
     * is registered), in words for a person; empty while it is open or not tried yet (the profile
     * is locked).
     */
    Optional<String> problem();
}
