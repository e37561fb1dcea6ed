package org.p2pchat.cli.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waiting for what the client layer does in the background, saying why it failed. */
final class Futures {

    /** Longer than anything the client layer lets take (a connection attempt, a negotiation). */
    static final long TIMEOUT_SECONDS = 60;

    private Futures() {
    }

    /** Waits for {@code future}; reports a failure as "Could not {what}: reason" and returns null. */
    static <T> T await(CompletableFuture<T> future, String what, EventPrinter print) {
        return succeeded(future, what, print) ? future.join() : null;
    }

    /** Waits for {@code future}; reports a failure as "Could not {what}: reason". */
    static boolean succeeded(CompletableFuture<?> future, String what, EventPrinter print) {
        try {
            future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return true;
        } catch (ExecutionException | CompletionException e) {
            print.error("Could not " + what + ": " + message(e));
        } catch (TimeoutException e) {
            print.error("Could not " + what + ": no result after " + TIMEOUT_SECONDS + " s.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    /** The reason a future failed, for a person. */
    static String message(Throwable t) {
        Throwable cause = cause(t);
        return cause.getMessage() == null ? cause.toString() : cause.getMessage();
    }

    static Throwable cause(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
