package org.p2pchat.ui.internal.handlers;

import org.p2pchat.ui.internal.parts.ClientPart;

/** File &gt; Send File...: offers files to the peer, or says why that is not possible. */
public class SendFileHandler extends ClientPartHandler {

    @Override
    boolean enabled(ClientPart client) {
        return client.canSendFile();
    }

    @Override
    void run(ClientPart client) {
        client.sendFile();
    }
}
