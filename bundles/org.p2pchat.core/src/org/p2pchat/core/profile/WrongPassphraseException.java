package org.p2pchat.core.profile;

/** The passphrase given is not the profile's; the message says so in words for a person. */
public class WrongPassphraseException extends Exception {

    private static final long serialVersionUID = 1L;

    public WrongPassphraseException(String message) {
        super(message);
    }
}
