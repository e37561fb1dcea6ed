package org.p2pchat.cli.internal;

import java.util.concurrent.TimeUnit;

import org.p2pchat.client.core.PasteExchange;
import org.p2pchat.core.SessionDescription;
import org.p2pchat.core.signaling.PasteCodec;
import org.p2pchat.core.signaling.SignalingException;

/**
 * The manual exchange on the command line: prints our description, and gathers the peer's from
 * what is pasted on stdin (over several lines if need be, telling a cut-off paste from garbage).
 * Reading and checking the text is the client layer's; this class only decides where a paste ends.
 */
final class PasteConsole {

    /** A description's text never needs more lines than this; beyond it the paste is garbage. */
    private static final int MAX_PASTE_LINES = 400;
    /** The lines of one paste arrive together; an unfinished one followed by this much quiet was cut off. */
    private static final long PASTE_QUIET_MILLIS = 700;

    private final PasteExchange exchange;
    private final CliOptions options;
    private final ConsoleInput input;
    private final EventPrinter print;
    private final long startNanos = System.nanoTime();
    private volatile long remoteAppliedNanos;

    PasteConsole(PasteExchange exchange, CliOptions options, ConsoleInput input, EventPrinter print) {
        this.exchange = exchange;
        this.options = options;
        this.input = input;
        this.print = print;
    }

    /** When the peer's description was handed over; 0 before. */
    long remoteAppliedNanos() {
        return remoteAppliedNanos;
    }

    /** Exchanges the descriptions. @return whether they were (the chat follows), false if the input ended first */
    boolean negotiate() throws InterruptedException {
        if (options.mode() == CliOptions.Mode.OFFER) {
            String offer = Futures.await(exchange.createOffer(options.form()), "create an offer", print);
            if (offer == null) {
                return false;
            }
            show(SessionDescription.Type.OFFER, offer, options.form());
            print.hint("Paste your peer's answer:");
            while (true) {
                String answer = readDescription(SessionDescription.Type.ANSWER);
                if (answer == null) {
                    return false;
                }
                remoteAppliedNanos = System.nanoTime();
                if (Futures.succeeded(exchange.acceptAnswer(answer), "use the answer", print)) {
                    return true;
                }
                print.hint("Paste the answer again:");
            }
        }
        print.hint("Paste your peer's offer:");
        while (true) {
            String offer = readDescription(SessionDescription.Type.OFFER);
            if (offer == null) {
                return false;
            }
            remoteAppliedNanos = System.nanoTime();
            // The client layer answers a web app's offer in the web app's form, whatever --form says.
            String answer = Futures.await(exchange.acceptOffer(offer, options.form()), "use the offer", print);
            if (answer != null) {
                show(SessionDescription.Type.ANSWER, answer, options.form());
                print.hint("Send this answer to your peer.");
                return true;
            }
            print.hint("Paste the offer again:");
        }
    }

    private void show(SessionDescription.Type type, String text, PasteCodec.Form form) {
        String kind = type.wireName();
        // The web app refuses the compact form: whoever sends an offer to one of its users must know.
        String note = form == PasteCodec.Form.COMPACT && type == SessionDescription.Type.OFFER
                ? "A web app user cannot read this compact form: for them, start again with --form json." : null;
        print.event(kind, "Your " + kind + " (send it to your peer):\n" + text, "text", text,
                "elapsedMs", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos), "note", note);
        if (note != null) {
            print.hint(note);
        }
    }

    /**
     * Reads lines until they read as a description of the wanted type. A paste may span lines
     * (pretty-printed JSON, wrapped text); bad input is reported and the user can paste again.
     *
     * @return the pasted text; null if the input ended first
     */
    private String readDescription(SessionDescription.Type wanted) throws InterruptedException {
        StringBuilder pasted = new StringBuilder();
        int lines = 0;
        String line;
        while ((line = input.nextLine()) != null) {
            if (line.isBlank() && pasted.isEmpty()) {
                continue;
            }
            // An empty line ends a paste that is still waiting for more lines.
            boolean endOfPaste = line.isBlank();
            pasted.append(line).append('\n');
            lines++;
            String text = line;
            try {
                exchange.check(line, wanted);
            } catch (SignalingException lineError) {
                text = pasted.toString();
                try {
                    exchange.check(text, wanted);
                } catch (SignalingException whole) {
                    boolean unfinished = !endOfPaste && looksUnfinished(pasted) && lines < MAX_PASTE_LINES;
                    if (unfinished && input.moreWithin(PASTE_QUIET_MILLIS)) {
                        continue; // the next line of the same paste
                    }
                    print.error(unfinished ? "The pasted " + wanted.wireName() + " looks incomplete: it stops before "
                            + "its end (cut off when it was copied?). Copy all of it and paste it again."
                            : whole.getMessage());
                    print.hint("Paste the " + wanted.wireName() + " again:");
                    pasted.setLength(0);
                    lines = 0;
                    continue;
                }
            }
            return text;
        }
        print.error("Input ended before a valid " + wanted.wireName() + " was pasted.");
        return null;
    }

    /** An opened JSON object that is not closed yet: more lines of the same paste will follow. */
    private static boolean looksUnfinished(CharSequence text) {
        int depth = 0;
        boolean inString = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{') {
                depth++;
            } else if (c == '}') {
                depth--;
            }
        }
        return depth > 0;
    }
}
