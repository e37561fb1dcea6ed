package org.p2pchat.rendezvous.internal;

/** A request the service refuses: an HTTP status and a reason a developer can act on. */
public final class ApiException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int status;

    public ApiException(int status, String reason) {
        super(reason, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
