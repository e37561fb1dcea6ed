package org.p2pchat.install;

import java.io.Serial;

/** An install, update or removal that cannot be done; the message says why, for the person asking. */
public class InstallException extends Exception {

    @Serial
    private static final long serialVersionUID = 1L;

    public InstallException(String message) {
        super(message);
    }

    public InstallException(String message, Throwable cause) {
        super(message, cause);
    }
}
