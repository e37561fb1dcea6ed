package org.p2pchat.history.tests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;

import org.p2pchat.history.MessageHistory;
import org.p2pchat.history.internal.H2Histories;

/**
 * The history's figures, printed by releng/benchmarks/history.sh: storing messages across 50
 * conversations one call at a time (each committed and written to the file, as the client stores
 * them), the file's size, then after closing and opening it again the newest page of every
 * conversation and search; the unencrypted database is the baseline, measured in the same run.
 * Runs outside OSGi with H2 and the history bundle on the class path.
 *
 * <pre>java -cp h2.jar:history-classes:history-tests-classes org.p2pchat.history.tests.HistoryBenchmark [MESSAGES]</pre>
 */
public final class HistoryBenchmark {

    private static final int CONVERSATIONS = 50;
    private static final String[] WORDS = ("the a to and of is in that it for you was on are with as his they be at one "
            + "have this from or had by hot word but what some we can out other were all there when up use your how "
            + "said an each she which do their time if will way about many then them write would like so these her "
            + "long make thing see him two has look more day could go come did number sound no most people my over "
            + "know water than call first who may down side been now find lunch tomorrow meeting train ok thanks").split(" ");

    private HistoryBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        Result plain = run(messages, Optional.empty());
        byte[] key = new byte[32];
        new Random(7).nextBytes(key);
        Result encrypted = run(messages, Optional.of(key));
        System.out.printf(Locale.ROOT, "history: %,d messages across %d conversations, each stored by one call "
                + "(committed and written to the file); unencrypted is the baseline of the same run%n", messages,
                CONVERSATIONS);
        System.out.printf(Locale.ROOT, "%-40s %14s %14s%n", "", "encrypted", "unencrypted");
        row("store all (s)", encrypted.storeSeconds, plain.storeSeconds, "%.1f");
        row("store (messages/s)", messages / encrypted.storeSeconds, messages / plain.storeSeconds, "%.0f");
        row("file after storing, open (MB)", encrypted.sizeOpen / 1e6, plain.sizeOpen / 1e6, "%.1f");
        row("file at rest, closed (MB per 100,000)", encrypted.sizeClosed / 1e6 * 100_000 / messages,
                plain.sizeClosed / 1e6 * 100_000 / messages, "%.1f");
        row("open again (ms)", encrypted.openMillis, plain.openMillis, "%.0f");
        row("list of conversations (ms)", encrypted.listMillis, plain.listMillis, "%.1f");
        row("newest page of 50, median (ms)", encrypted.pageMedian, plain.pageMedian, "%.2f");
        row("newest page of 50, max (ms)", encrypted.pageMax, plain.pageMax, "%.2f");
        row("search, word in 1% (ms, median)", encrypted.searchSome, plain.searchSome, "%.1f");
        row("search, word in none (ms, median)", encrypted.searchNone, plain.searchNone, "%.1f");
        System.out.printf(Locale.ROOT, "targets: newest page < 100 ms, search < 200 ms%n");
    }

    private static void row(String name, double encrypted, double plain, String format) {
        System.out.printf(Locale.ROOT, "%-40s %14s %14s%n", name, String.format(Locale.ROOT, format, encrypted),
                String.format(Locale.ROOT, format, plain));
    }

    private static final class Result {
        double storeSeconds;
        long sizeOpen;
        long sizeClosed;
        double openMillis;
        double listMillis;
        double pageMedian;
        double pageMax;
        double searchSome;
        double searchNone;
    }

    private static Result run(int messages, Optional<byte[]> key) throws Exception {
        Path profile = Files.createTempDirectory("history-bench");
        try {
            Result result = new Result();
            Random random = new Random(11);
            List<String> conversations = new ArrayList<>();
            try (MessageHistory history = H2Histories.open(profile, key)) {
                for (int c = 0; c < CONVERSATIONS; c++) {
                    conversations.add(history.conversationWith("peer-key-" + c, "Peer " + c).id());
                }
                long[] received = new long[CONVERSATIONS];
                long start = System.nanoTime();
                for (int i = 0; i < messages; i++) {
                    int c = i % CONVERSATIONS;
                    String text = text(random, i);
                    if (i % 3 == 0) {
                        history.addIncoming(conversations.get(c), "m" + i, ++received[c], "Peer " + c, text,
                                System.currentTimeMillis());
                    } else {
                        history.addOutgoing(conversations.get(c), "m" + i, "Alice", text, System.currentTimeMillis(),
                                true);
                    }
                }
                result.storeSeconds = (System.nanoTime() - start) / 1e9;
                result.sizeOpen = Files.size(H2Histories.file(profile));
            }
            result.sizeClosed = Files.size(H2Histories.file(profile));

            long start = System.nanoTime();
            try (MessageHistory history = H2Histories.open(profile, key)) {
                result.openMillis = millis(start);
                start = System.nanoTime();
                history.conversations();
                result.listMillis = millis(start);
                double[] pages = new double[CONVERSATIONS];
                for (int c = 0; c < CONVERSATIONS; c++) {
                    start = System.nanoTime();
                    history.page(conversations.get(c), Long.MAX_VALUE, 50);
                    pages[c] = millis(start);
                }
                result.pageMedian = median(pages);
                result.pageMax = Arrays.stream(pages).max().orElseThrow();
                result.searchSome = medianSearch(history, "ZEBRA");
                result.searchNone = medianSearch(history, "quokka");
            }
            return result;
        } finally {
            delete(profile);
        }
    }

    /** Words from a small vocabulary; one message in a hundred has "zebra", none has "quokka". */
    private static String text(Random random, int i) {
        StringBuilder text = new StringBuilder();
        int words = 3 + random.nextInt(12);
        for (int w = 0; w < words; w++) {
            text.append(w == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
        }
        if (i % 100 == 42) {
            text.append(" zebra");
        }
        return text.toString();
    }

    private static double medianSearch(MessageHistory history, String word) {
        double[] times = new double[11];
        for (int k = 0; k < times.length; k++) {
            long start = System.nanoTime();
            history.search(word, 50);
            times[k] = millis(start);
        }
        return median(times);
    }

    private static double millis(long start) {
        return (System.nanoTime() - start) / 1e6;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static void delete(Path directory) throws IOException {
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
