package org.p2pchat.history.tests;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Optional;

import org.p2pchat.history.HistoryException;
import org.p2pchat.history.MessageHistory;
import org.p2pchat.history.internal.H2Histories;

/**
 * The main class of a second process on a history (started by {@link ChildJvm}), which runs with
 * only H2 and the history bundle on its class path:
 * <ul>
 * <li>{@code write DIR KEYHEX PREFIX}: stores messages to the peer {@code bob} in a loop, ours and
 * the peer's in turn, and prints each message's id once the call storing it returned, until
 * killed;</li>
 * <li>{@code hold DIR KEYHEX}: opens the history, prints {@code open} (or {@code refused: message}),
 * and keeps it open until its standard input ends.</li>
 * </ul>
 */
public final class HistoryProcess {

    /** The peer key of the conversation {@code write} stores into. */
    public static final String PEER = "bob-key";

    private HistoryProcess() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        Path directory = Path.of(args[1]);
        Optional<byte[]> key = args[2].equals("-") ? Optional.empty() : Optional.of(HexFormat.of().parseHex(args[2]));
        switch (args[0]) {
            case "write" -> write(H2Histories.open(directory, key), args[3], out);
            case "hold" -> hold(directory, key, out);
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    private static void write(MessageHistory history, String prefix, PrintStream out) {
        String conversation = history.conversationWith(PEER, "Bob").id();
        long incomingSeq = history.receivedSeq(conversation);
        for (long i = 0;; i++) {
            String id = prefix + "-" + i;
            if (i % 2 == 0) {
                history.addOutgoing(conversation, id, "Alice", "message " + id, System.currentTimeMillis(), true);
            } else {
                history.addIncoming(conversation, id, ++incomingSeq, "Bob", "message " + id, System.currentTimeMillis())
                        .orElseThrow();
            }
            out.println(id);
        }
    }

    private static void hold(Path directory, Optional<byte[]> key, PrintStream out) throws IOException {
        MessageHistory history;
        try {
            history = H2Histories.open(directory, key);
        } catch (HistoryException e) {
            out.println("refused: " + e.getMessage());
            return;
        }
        out.println("open");
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            while (in.readLine() != null) {
                // keep it open until the parent closes our input
            }
        }
        history.close();
        out.println("closed");
    }
}
