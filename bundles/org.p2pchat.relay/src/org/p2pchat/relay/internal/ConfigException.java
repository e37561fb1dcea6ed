package org.p2pchat.relay.internal;

/** Bad command-line options or configuration; the message is the whole one-line explanation. */
final class ConfigException extends Exception {

    private static final long serialVersionUID = 1L;

    ConfigException(String message) {
        super(message);
    }
}
