package org.p2pchat.core.signaling;

import java.net.URI;
import java.util.Objects;

/**
 * Our standing with one directory service.
 *
 * @param service the service's base URL
 * @param state   where we are with it
 * @param api     {@code "authenticated"} or {@code "legacy"}, once known; else empty
 * @param ourId   our id on it once registered; else empty
 * @param detail  a sentence for the user (e.g. why it is unreachable)
 */
public record ServiceStatus(URI service, State state, String api, String ourId, String detail) {

    public enum State {
        /** Registering for the first time. */
        CONNECTING,
        /** Registered; requests can reach us. */
        REGISTERED,
        /** Not answering or answering with errors; retried by itself. */
        UNREACHABLE,
        /** Membership closed. */
        CLOSED
    }

    public ServiceStatus {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(state, "state");
        api = api == null ? "" : api;
        ourId = ourId == null ? "" : ourId;
        detail = detail == null ? "" : detail;
    }
}
