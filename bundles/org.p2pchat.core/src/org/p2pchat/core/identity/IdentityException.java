package org.p2pchat.core.identity;

/** A description's identity proof does not hold; the description must not be used. */
public class IdentityException extends Exception {

    private static final long serialVersionUID = 1L;

    public IdentityException(String message) {
        super(message);
    }
}
