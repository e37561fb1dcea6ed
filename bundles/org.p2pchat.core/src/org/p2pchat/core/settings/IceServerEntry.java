package org.p2pchat.core.settings;

import java.util.Optional;

import org.p2pchat.core.IceServer;

/**
 * A STUN or TURN server in the user's list.
 *
 * @param name       label shown to the user
 * @param url        {@code stun:}, {@code turn:} or {@code turns:} URL
 * @param username   required for TURN
 * @param credential required for TURN
 * @param enabled    whether sessions use it
 * @param builtIn    shipped with the client (restored by "restore defaults")
 */
public record IceServerEntry(String name, String url, String username, String credential, boolean enabled,
        boolean builtIn) {

    public IceServerEntry {
        name = name == null ? "" : name;
        url = url == null ? "" : url.strip();
        username = username == null ? "" : username;
        credential = credential == null ? "" : credential;
    }

    public boolean isTurn() {
        return url.startsWith("turn:") || url.startsWith("turns:");
    }

    /** What is wrong with this entry, in words for the field it concerns; empty if it is usable. */
    public Optional<String> problem() {
        return toIceServer().problem();
    }

    public IceServer toIceServer() {
        return new IceServer(url, username, credential);
    }
}
