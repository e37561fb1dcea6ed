package org.p2pchat.core.signaling;

/** Input a signaling provider cannot use; the message tells the user what to do instead. */
public class SignalingException extends Exception {

    private static final long serialVersionUID = 1L;

    public SignalingException(String message) {
        super(message);
    }

    public SignalingException(String message, Throwable cause) {
        super(message, cause);
    }
}
