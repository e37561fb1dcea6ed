package org.p2pchat.cli.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The lines typed (or piped) into the command line. Reading stdin blocks; a reader thread lets
 * the chat end when the peer hangs up while nobody types.
 */
final class ConsoleInput {

    private final BlockingQueue<Optional<String>> lines = new LinkedBlockingQueue<>();
    /** Whether reading should stop although input goes on (the chat ended from the peer's side). */
    private volatile BooleanSupplier over = () -> false;

    ConsoleInput(BufferedReader in, EventPrinter print) {
        Thread reader = new Thread(() -> {
            try {
                String line;
                while ((line = in.readLine()) != null) {
                    lines.add(Optional.of(line));
                }
            } catch (IOException e) {
                print.error("Reading input failed: " + e.getMessage());
            }
            lines.add(Optional.empty());
        }, "p2pchat-cli-input");
        reader.setDaemon(true);
        reader.start();
    }

    /** From now on {@link #nextLine()} answers null once {@code condition} holds. */
    void stopWhen(BooleanSupplier condition) {
        over = condition;
    }

    /** The next input line; null at end of input, or once the stop condition holds. */
    String nextLine() throws InterruptedException {
        while (true) {
            Optional<String> line = lines.poll(100, TimeUnit.MILLISECONDS);
            if (line != null) {
                if (line.isEmpty()) {
                    lines.add(line); // end of input stays the answer
                }
                return line.orElse(null);
            }
            if (over.getAsBoolean()) {
                return null;
            }
        }
    }

    /** Whether a line arrives within {@code millis}; it stays queued for {@link #nextLine()}. */
    boolean moreWithin(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (lines.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return !lines.isEmpty();
    }
}
