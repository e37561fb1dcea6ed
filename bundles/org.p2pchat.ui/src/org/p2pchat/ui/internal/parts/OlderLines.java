package org.p2pchat.ui.internal.parts;

import java.util.List;

/** Where a {@link MessageList}'s older lines come from: the history, page by page. */
interface OlderLines {

    /** No older lines. */
    OlderLines NONE = new OlderLines() {
        @Override
        public List<ShownMessage> load() {
            return List.of();
        }

        @Override
        public boolean more() {
            return false;
        }
    };

    /** The page before the oldest loaded line, oldest first; empty when there is none. */
    List<ShownMessage> load();

    /** Whether {@link #load()} may find more. */
    boolean more();
}
