package org.p2pchat.client.core;

import java.util.ArrayList;
import java.util.List;

import org.p2pchat.core.files.TransferStatus;

/**
 * What ending the client now would end ({@link ChatClient#ongoing()}): the conversations going on
 * and the file transfers moving bytes. A view asks before quitting while there is any.
 *
 * @param conversations connected, or being made again after the connection was lost
 * @param transfers     sending or receiving now, or checking what arrived (an interrupted or paused
 *                      one continues after a restart and is not counted)
 */
public record Ongoing(List<Conversation> conversations, List<TransferStatus> transfers) {

    public Ongoing {
        conversations = List.copyOf(conversations);
        transfers = List.copyOf(transfers);
    }

    /** Whether nothing would end. */
    public boolean isEmpty() {
        return conversations.isEmpty() && transfers.isEmpty();
    }

    /** What would end, in words: "2 conversations and 1 transfer"; empty if nothing. */
    public String summary() {
        List<String> parts = new ArrayList<>(2);
        if (!conversations.isEmpty()) {
            parts.add(count(conversations.size(), "conversation"));
        }
        if (!transfers.isEmpty()) {
            parts.add(count(transfers.size(), "transfer"));
        }
        return String.join(" and ", parts);
    }

    private static String count(int n, String what) {
        return n + " " + what + (n == 1 ? "" : "s");
    }
}
