package org.p2pchat.core.settings;

import java.util.Optional;
import java.util.regex.Pattern;

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

    private static final Pattern ICE_URL = Pattern.compile(
            "(stun|stuns|turn|turns):(\\[[0-9a-fA-F:.]+\\]|[A-Za-z0-9.-]+)(:\\d{1,5})?(\\?transport=(udp|tcp))?");

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
        if (!ICE_URL.matcher(url).matches()) {
            return Optional.of("URL must look like stun:host:port, turn:host:port or turns:host:port (optionally ?transport=tcp)");
        }
        String port = url.replaceFirst("^[a-z]+:(\\[[^]]+\\]|[^:?]+)", "").replaceFirst("\\?.*$", "");
        if (port.startsWith(":") && (Integer.parseInt(port.substring(1)) < 1 || Integer.parseInt(port.substring(1)) > 65535)) {
            return Optional.of("port must be between 1 and 65535");
        }
        if (isTurn() && (username.isBlank() || credential.isBlank())) {
            return Optional.of("a TURN server needs a username and a credential");
        }
        return Optional.empty();
    }

    public IceServer toIceServer() {
        return new IceServer(url, username, credential);
    }
}
