import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;

import org.p2pchat.history.MessageHistory;
import org.p2pchat.history.internal.H2Histories;

/**
 * Fills a profile's history (a profile without a passphrase, started once so that its vault and
 * history exist) with MESSAGES messages across CONVERSATIONS conversations, half ours, half theirs.
 *
 *   java -cp h2.jar:org.p2pchat.history.jar FillHistory.java PROFILE [MESSAGES=100000] [CONVERSATIONS=50]
 */
public class FillHistory {
    public static void main(String[] args) throws Exception {
        Path profile = Path.of(args[0]);
        int messages = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        int conversations = args.length > 2 ? Integer.parseInt(args[2]) : 50;
        byte[] key = Files.readAllBytes(profile.resolve("secrets").resolve("history"));
        long start = System.nanoTime();
        try (MessageHistory history = H2Histories.open(profile, Optional.of(key))) {
            String[] ids = new String[conversations];
            for (int c = 0; c < conversations; c++) {
                // A made-up identity key per peer: the list shows these as contacts met before.
                String peerKey = "MCowBQYDK2VwAyEA" + String.format("%043d", c);
                ids[c] = history.conversationWith(peerKey, "Peer " + (c + 1)).id();
            }
            long time = System.currentTimeMillis() - messages * 60_000L;
            long[] seq = new long[conversations];
            for (int i = 0; i < messages; i++) {
                int c = i % conversations;
                String text = "Message " + i + ": the quick brown fox jumps over the lazy dog, again and again.";
                time += 60_000;
                if (i % 2 == 0) {
                    history.addOutgoing(ids[c], UUID.randomUUID().toString(), "me", text, time, true);
                } else {
                    history.addIncoming(ids[c], UUID.randomUUID().toString(), ++seq[c], "Peer " + (c + 1), text, time);
                }
            }
        }
        System.out.printf("filled %d messages in %d conversations in %.1f s%n", messages, conversations,
                (System.nanoTime() - start) / 1e9);
    }
}
