package org.p2pchat.history.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.history.Direction;
import org.p2pchat.history.HistoryPage;
import org.p2pchat.history.MessageHistory;
import org.p2pchat.history.StoredMessage;

/**
 * A message whose storing call returned survives {@code kill -9} of the process the next moment: a
 * second process stores messages in a loop and prints each id once stored; it is killed (SIGKILL)
 * mid-loop, three times at different points, the last after 50 s of writing; every printed id is
 * then in the history, once, and the sequence numbers on both sides run without a gap or a repeat.
 */
class KillTest {

    private static final byte[] KEY = Services.key(3);

    @TempDir
    Path profile;

    @Test
    void everyMessageStoredBeforeAKillIsThereOnce() throws Exception {
        List<String> printed = new ArrayList<>();
        kill(printed, "r0", 200, 0);
        kill(printed, "r1", 701, 0);
        // A writer that runs longer than H2 keeps replaced data (45 s), so that the file's space
        // would be written again if H2 were let to, and that compacts the file on the way.
        kill(printed, "r2", 1, 50_000);

        try (MessageHistory history = Services.histories().open(profile, Optional.of(KEY))) {
            String bob = history.conversationWith(HistoryProcess.PEER, "Bob").id();
            List<StoredMessage> all = new ArrayList<>();
            long before = Long.MAX_VALUE;
            HistoryPage page;
            do {
                page = history.page(bob, before, 500);
                all.addAll(0, page.messages());
                before = page.messages().isEmpty() ? before : page.messages().get(0).row();
            } while (page.hasOlder());

            Set<String> stored = new HashSet<>();
            for (StoredMessage m : all) {
                assertTrue(stored.add(m.messageId()), "stored twice: " + m.messageId());
            }
            for (String id : printed) {
                assertTrue(stored.contains(id), "printed as stored but lost: " + id);
            }
            assertFalse(all.size() > printed.size() + 3, "at most one unprinted message per kill");
            assertEquals(seqs(all, Direction.OUTGOING), numbers(count(all, Direction.OUTGOING)));
            assertEquals(seqs(all, Direction.INCOMING), numbers(count(all, Direction.INCOMING)));
            assertEquals(count(all, Direction.INCOMING), history.receivedSeq(bob));
        }
    }

    /**
     * Starts a writer, kills it once it printed {@code lines} ids and {@code millis} passed, and
     * adds every id it printed to {@code printed}.
     */
    private void kill(List<String> printed, String prefix, int lines, long millis) throws Exception {
        long killAt = System.nanoTime() + millis * 1_000_000;
        Process writer = ChildJvm.start("write", profile.toString(), Services.hex(KEY), prefix);
        try (BufferedReader out = new BufferedReader(new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            int seen = 0;
            boolean killed = false;
            while ((line = out.readLine()) != null) {
                printed.add(line);
                if (!killed && ++seen >= lines && System.nanoTime() >= killAt) {
                    // SIGKILL, through the handle: Process.destroyForcibly would also close our end of
                    // its output, and the ids it printed before dying would be lost to the test.
                    writer.toHandle().destroyForcibly();
                    killed = true;
                }
            }
            assertTrue(killed, "the writer stopped by itself after " + seen);
        } finally {
            writer.destroyForcibly();
            assertTrue(writer.waitFor(30, TimeUnit.SECONDS));
        }
    }

    private static int count(List<StoredMessage> all, Direction direction) {
        return (int) all.stream().filter(m -> m.direction() == direction).count();
    }

    private static List<Long> seqs(List<StoredMessage> all, Direction direction) {
        return all.stream().filter(m -> m.direction() == direction).map(StoredMessage::seq).toList();
    }

    private static List<Long> numbers(int n) {
        List<Long> numbers = new ArrayList<>();
        for (long i = 1; i <= n; i++) {
            numbers.add(i);
        }
        return numbers;
    }
}
