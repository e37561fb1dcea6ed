package org.p2pchat.history.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.history.ConversationSummary;
import org.p2pchat.history.HistoryPage;
import org.p2pchat.history.MessageHistory;
import org.p2pchat.history.SearchHit;
import org.p2pchat.history.StoredMessage;

/**
 * 100,000 messages across 50 conversations survive closing and opening the history again with
 * the same key: counts, contents, the newest page of every conversation, unread counts, search.
 * The time bounds are generous (the targets, 100 ms for a page and 200 ms for a search,
 * are printed by releng/benchmarks/history.sh).
 */
class RestartTest {

    private static final int CONVERSATIONS = 50;
    private static final int MESSAGES = 100_000;
    private static final byte[] KEY = Services.key(4);

    @TempDir
    Path profile;

    @Test
    void aHundredThousandMessagesInFiftyConversationsSurviveARestart() throws Exception {
        List<String> conversations = new ArrayList<>();
        Map<String, List<String>> ids = new HashMap<>();
        Map<String, Integer> incoming = new HashMap<>();
        try (MessageHistory history = Services.histories().open(profile, Optional.of(KEY))) {
            for (int c = 0; c < CONVERSATIONS; c++) {
                String id = history.conversationWith("peer-key-" + c, "Peer " + c).id();
                conversations.add(id);
                ids.put(id, new ArrayList<>());
                incoming.put(id, 0);
            }
            for (int i = 0; i < MESSAGES; i++) {
                String c = conversations.get(i % CONVERSATIONS);
                String id = "m" + i;
                if (i % 3 == 0) {
                    int n = incoming.merge(c, 1, Integer::sum);
                    history.addIncoming(c, id, n, "Peer", text(i), i).orElseThrow();
                } else {
                    history.addOutgoing(c, id, "Alice", text(i), i, true);
                }
                ids.get(c).add(id);
            }
        }

        try (MessageHistory history = Services.histories().open(profile, Optional.of(KEY))) {
            List<ConversationSummary> summaries = history.conversations();
            assertEquals(CONVERSATIONS, summaries.size());
            for (ConversationSummary s : summaries) {
                String c = s.conversation().id();
                List<String> expected = ids.get(c);
                assertEquals(expected.get(expected.size() - 1), s.last().orElseThrow().messageId());
                assertEquals(incoming.get(c), s.unread());
                assertEquals((long) incoming.get(c), history.receivedSeq(c));

                long start = System.nanoTime();
                HistoryPage newest = history.page(c, Long.MAX_VALUE, 50);
                assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 2_000, "newest page took over 2 s");
                assertTrue(newest.hasOlder());
                assertEquals(expected.subList(expected.size() - 50, expected.size()),
                        newest.messages().stream().map(StoredMessage::messageId).toList());
                for (StoredMessage m : newest.messages()) {
                    assertEquals(text(Integer.parseInt(m.messageId().substring(1))), m.text());
                }
            }

            int total = 0;
            for (String c : conversations) {
                List<String> stored = new ArrayList<>();
                long before = Long.MAX_VALUE;
                HistoryPage page;
                do {
                    page = history.page(c, before, 1000);
                    stored.addAll(0, page.messages().stream().map(StoredMessage::messageId).toList());
                    before = page.messages().get(0).row();
                } while (page.hasOlder());
                assertEquals(ids.get(c), stored, "the messages of " + c + " in order");
                total += stored.size();
            }
            assertEquals(MESSAGES, total);

            Random random = new Random(5);
            for (int k = 0; k < 1000; k++) {
                int i = random.nextInt(MESSAGES);
                StoredMessage m = history.message(conversations.get(i % CONVERSATIONS), "m" + i).orElseThrow();
                assertEquals(text(i), m.text());
                assertEquals(i, m.timestamp());
            }

            long start = System.nanoTime();
            List<SearchHit> hits = history.search("ZEBRA", 50);
            assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 5_000, "search took over 5 s");
            assertEquals(50, hits.size());
            assertEquals("m99900", hits.get(0).message().messageId(), "newest first");
            assertEquals(List.of(), history.search("no such word anywhere", 50));
        }
    }

    /** Message {@code i}'s text; one in a hundred has the word "zebra". */
    private static String text(int i) {
        return "message " + i + (i % 100 == 0 ? " about a zebra" : " about nothing in particular");
    }
}
