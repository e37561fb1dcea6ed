package org.p2pchat.core.wire;

/** A received frame broke the framing rules; the message it belonged to is dropped. */
public class FramingException extends Exception {

    private static final long serialVersionUID = 1L;

    public FramingException(String message) {
        super(message);
    }
}
