package org.p2pchat.ui.internal.handlers;

import org.p2pchat.ui.internal.parts.ClientPart;

/** Ctrl+Tab: the next conversation of the list comes to the front. */
public class NextConversationHandler extends ClientPartHandler {

    @Override
    boolean enabled(ClientPart client) {
        return true; // with no conversation to switch to, it moves the focus as Ctrl+Tab does unbound
    }

    @Override
    void run(ClientPart client) {
        client.showNext(1);
    }
}
