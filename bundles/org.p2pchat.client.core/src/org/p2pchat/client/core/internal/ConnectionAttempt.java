package org.p2pchat.client.core.internal;

import java.time.Duration;

import org.p2pchat.core.signaling.SignalingException;

/**
 * How long the making of a first connection may take, and what is said when it took too long:
 * a person has to accept, so the peer gets {@link #answerWait()} to answer; once answered, the
 * network path has {@link #pathWait()} to be found. Tests shorten both with system properties.
 */
final class ConnectionAttempt {

    static final String ANSWER_WAIT_PROPERTY = "p2pchat.client.answerWaitSeconds";
    static final String PATH_WAIT_PROPERTY = "p2pchat.client.pathWaitSeconds";
    private static final long ANSWER_WAIT_SECONDS = 60;
    private static final long PATH_WAIT_SECONDS = 45;

    /** Our offer got no answer in the client's wait (the provider may wait longer). */
    static final class Unanswered extends Exception {
        private static final long serialVersionUID = 1L;
        final Duration waited;

        Unanswered(Duration waited) {
            super(null, null, false, false);
            this.waited = waited;
        }
    }

    private ConnectionAttempt() {
    }

    static Duration answerWait() {
        return Duration.ofSeconds(Long.getLong(ANSWER_WAIT_PROPERTY, ANSWER_WAIT_SECONDS));
    }

    static Duration pathWait() {
        return Duration.ofSeconds(Long.getLong(PATH_WAIT_PROPERTY, PATH_WAIT_SECONDS));
    }

    /** The failure to report: the client's wait said in words, anything else as it came. */
    static Throwable unanswered(Throwable error, String who) {
        if (DefaultChatClient.cause(error) instanceof Unanswered u) {
            return new SignalingException(who + " did not answer within " + u.waited.toSeconds()
                    + " s: they did not accept in time, or are away. Try again later.");
        }
        return error;
    }

    /**
     * Said when the descriptions were exchanged but no connection came about in time. Every view shows
     * it (the desktop, the command line), so it names no view's menu or option.
     */
    static String noPath(String who, Duration waited) {
        return "No network path to " + who + " was found within " + waited.toSeconds() + " s. Try again; if it "
                + "keeps failing, one of you may need a TURN server in the settings.";
    }
}
