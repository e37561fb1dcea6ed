package org.p2pchat.ui.internal.handlers;

import org.p2pchat.ui.internal.parts.ClientPart;

/** Ctrl+D: ends the conversation. */
public class DisconnectHandler extends ClientPartHandler {

    @Override
    boolean enabled(ClientPart client) {
        return client.canDisconnect();
    }

    @Override
    void run(ClientPart client) {
        client.disconnect();
    }
}
