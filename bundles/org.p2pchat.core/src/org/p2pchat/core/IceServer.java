package org.p2pchat.core;

import java.util.Objects;

/**
 * A STUN or TURN server as the transport uses it.
 *
 * @param url        {@code stun:host:port}, {@code turn:host:port[?transport=tcp]} or {@code turns:...}
 * @param username   TURN user name; empty for STUN
 * @param credential TURN password; empty for STUN
 */
public record IceServer(String url, String username, String credential) {

    public IceServer {
        Objects.requireNonNull(url, "url");
        username = username == null ? "" : username;
        credential = credential == null ? "" : credential;
    }

    public static IceServer stun(String url) {
        return new IceServer(url, "", "");
    }

    public boolean isTurn() {
        return url.startsWith("turn:") || url.startsWith("turns:");
    }
}
