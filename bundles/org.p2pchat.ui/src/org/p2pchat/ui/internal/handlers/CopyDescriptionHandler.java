package org.p2pchat.ui.internal.handlers;

import org.p2pchat.ui.internal.parts.ClientPart;

/** Ctrl+Shift+C: copies the offer or answer shown last to the clipboard. */
public class CopyDescriptionHandler extends ClientPartHandler {

    @Override
    boolean enabled(ClientPart client) {
        return !client.isChatShown();
    }

    @Override
    void run(ClientPart client) {
        client.copyDescription();
    }
}
