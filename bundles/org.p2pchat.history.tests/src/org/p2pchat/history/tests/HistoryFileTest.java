package org.p2pchat.history.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.history.HistoryException;
import org.p2pchat.history.HistoryService;
import org.p2pchat.history.MessageHistory;
import org.p2pchat.history.StoredMessage;
import org.p2pchat.history.internal.H2Histories;

/** A history on disk: encrypted, refused with the wrong key, open in one program at a time, kept across restarts. */
class HistoryFileTest {

    private static final byte[] KEY = Services.key(1);

    @TempDir
    Path profile;

    private final HistoryService histories = Services.histories();

    @Test
    void keptAcrossARestartWithCountersAndStates() throws Exception {
        String bob;
        try (MessageHistory history = histories.open(profile, Optional.of(KEY))) {
            bob = history.conversationWith("bob-key", "Bob").id();
            history.setVerified(bob, true);
            history.addOutgoing(bob, "a", "Alice", "one", 1, true);
            history.addOutgoing(bob, "b", "Alice", "two", 2, true);
            history.acknowledge(bob, 1);
            history.addIncoming(bob, "x", 7, "Bob", "seven", 3);
        }
        assertTrue(Files.exists(H2Histories.file(profile)));
        try (MessageHistory history = histories.open(profile, Optional.of(KEY))) {
            assertTrue(history.conversation(bob).orElseThrow().verified());
            assertEquals(7, history.receivedSeq(bob));
            assertEquals(Optional.empty(), history.addIncoming(bob, "y", 7, "Bob", "seven again", 4));
            assertEquals(List.of("b"), history.unacknowledged(bob).stream().map(StoredMessage::messageId).toList());
            assertEquals(3, history.addOutgoing(bob, "c", "Alice", "three", 5, true).seq(), "numbering goes on");
            assertEquals(1, history.summary(bob).orElseThrow().unread());
        }
    }

    @Test
    void theFileIsEncrypted() throws Exception {
        try (MessageHistory history = histories.open(profile, Optional.of(KEY))) {
            String bob = history.conversationWith("bob-key", "Bob").id();
            history.addOutgoing(bob, "a", "Alice", "a very recognisable plaintext", 1, true);
        }
        String bytes = new String(Files.readAllBytes(H2Histories.file(profile)), StandardCharsets.ISO_8859_1);
        assertTrue(!bytes.contains("recognisable") && !bytes.contains("bob-key") && !bytes.contains("MESSAGE"),
                "plain text in the file");
        HistoryException e = assertThrows(HistoryException.class, () -> histories.open(profile, Optional.empty()));
        assertEquals("The history in " + profile.toRealPath()
                + " could not be opened: it is encrypted, and no key was given; nothing was changed", e.getMessage());
    }

    @Test
    void anUnencryptedHistoryIsNotTakenForAWrongKey() throws Exception {
        histories.open(profile, Optional.empty()).close();
        byte[] before = Files.readAllBytes(H2Histories.file(profile));
        HistoryException e = assertThrows(HistoryException.class, () -> histories.open(profile, Optional.of(KEY)));
        assertTrue(e.getMessage().contains("history.mv.db is damaged or not encrypted; nothing was changed"),
                e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(H2Histories.file(profile)));
        histories.open(profile, Optional.empty()).close();
    }

    @Test
    void aWrongKeyIsRefusedAndChangesNothing() throws Exception {
        try (MessageHistory history = histories.open(profile, Optional.of(KEY))) {
            String bob = history.conversationWith("bob-key", "Bob").id();
            for (int i = 0; i < 100; i++) {
                history.addOutgoing(bob, "m" + i, "Alice", "text " + i, i, true);
            }
        }
        byte[] before = Files.readAllBytes(H2Histories.file(profile));
        List<Path> filesBefore = list(profile);

        HistoryException e = assertThrows(HistoryException.class, () -> histories.open(profile, Optional.of(Services.key(2))));
        assertEquals("The history in " + profile.toRealPath()
                + " could not be opened: the key or passphrase is wrong; nothing was changed", e.getMessage());

        assertArrayEquals(before, Files.readAllBytes(H2Histories.file(profile)), "the file was changed");
        assertEquals(filesBefore, list(profile), "files were added or removed");
        try (MessageHistory history = histories.open(profile, Optional.of(KEY))) {
            String bob = history.conversationWith("bob-key", "Bob").id();
            assertEquals(100, history.page(bob, Long.MAX_VALUE, 1000).messages().size());
        }
    }

    @Test
    void aDamagedFileIsRefusedInWords() throws Exception {
        Files.write(H2Histories.file(profile), "this is not a database, just some bytes\n".repeat(500).getBytes());
        HistoryException e = assertThrows(HistoryException.class, () -> histories.open(profile, Optional.of(KEY)));
        assertTrue(e.getMessage().startsWith("The history in " + profile.toRealPath()
                + " could not be opened: history.mv.db is damaged or not encrypted; nothing was changed"), e.getMessage());
        HistoryException plain = assertThrows(HistoryException.class, () -> histories.open(profile, Optional.empty()));
        assertTrue(plain.getMessage().startsWith("The history in " + profile.toRealPath()
                + " could not be opened: history.mv.db is damaged; nothing was changed"), plain.getMessage());
    }

    @Test
    void aSecondOpenInThisProgramIsRefusedUntilTheFirstCloses() throws Exception {
        MessageHistory first = histories.open(profile, Optional.of(KEY));
        try {
            HistoryException e = assertThrows(HistoryException.class, () -> histories.open(profile, Optional.of(KEY)));
            assertEquals("The history of this profile is open in another P2P Chat program; close it first", e.getMessage());
            first.conversationWith("bob-key", "Bob");
        } finally {
            first.close();
        }
        try (MessageHistory again = histories.open(profile, Optional.of(KEY))) {
            assertEquals(1, again.conversations().size());
        }
    }

    @Test
    void aHistoryOpenInAnotherProgramIsRefusedInWords() throws Exception {
        histories.open(profile, Optional.of(KEY)).close();
        Process other = ChildJvm.start("hold", profile.toString(), Services.hex(KEY));
        try (BufferedReader out = new BufferedReader(new InputStreamReader(other.getInputStream(), StandardCharsets.UTF_8))) {
            assertEquals("open", out.readLine());
            HistoryException e = assertThrows(HistoryException.class, () -> histories.open(profile, Optional.of(KEY)));
            assertEquals("The history of this profile is open in another P2P Chat program; close it first", e.getMessage());

            other.getOutputStream().close();
            assertEquals("closed", out.readLine());
            assertTrue(other.waitFor(30, TimeUnit.SECONDS));
        } finally {
            other.destroyForcibly();
        }
        try (MessageHistory history = histories.open(profile, Optional.of(KEY))) {
            assertEquals(0, history.conversations().size());
        }
    }

    @Test
    void theOtherProgramIsRefusedToo() throws Exception {
        try (MessageHistory history = histories.open(profile, Optional.of(KEY))) {
            Process other = ChildJvm.start("hold", profile.toString(), Services.hex(KEY));
            try (BufferedReader out = new BufferedReader(new InputStreamReader(other.getInputStream(), StandardCharsets.UTF_8))) {
                assertEquals("refused: The history of this profile is open in another P2P Chat program; close it first",
                        out.readLine());
                assertTrue(other.waitFor(30, TimeUnit.SECONDS));
            } finally {
                other.destroyForcibly();
            }
            history.conversationWith("bob-key", "Bob");
        }
    }

    private static List<Path> list(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.sorted().toList();
        }
    }
}
