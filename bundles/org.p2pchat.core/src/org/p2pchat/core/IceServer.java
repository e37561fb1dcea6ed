package org.p2pchat.core;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A STUN or TURN server as the transport uses it.
 *
 * @param url        {@code stun:host:port}, {@code turn:host:port[?transport=tcp]} or {@code turns:...}
 * @param username   TURN user name; empty for STUN
 * @param credential TURN password; empty for STUN
 */
public record IceServer(String url, String username, String credential) {

    private static final Pattern URL = Pattern.compile(
            "(stun|stuns|turn|turns):(\\[[0-9a-fA-F:.]+\\]|[A-Za-z0-9.-]+)(?::(\\d{1,5}))?(\\?transport=(udp|tcp))?");

    public IceServer {
        Objects.requireNonNull(url, "url");
        username = username == null ? "" : username;
        credential = credential == null ? "" : credential;
    }

    public static IceServer stun(String url) {
        return new IceServer(url, "", "");
    }

    /**
     * What is wrong with this server, in words for the field it concerns; empty if it is usable.
     * Transports must refuse a server with a problem: libwebrtc crashes the process on some
     * malformed URLs instead of reporting them.
     */
    public Optional<String> problem() {
        Matcher m = URL.matcher(url);
        if (!m.matches()) {
            return Optional.of("URL must look like stun:host:port, turn:host:port or turns:host:port (optionally ?transport=tcp)");
        }
        if (m.group(3) != null && (Integer.parseInt(m.group(3)) < 1 || Integer.parseInt(m.group(3)) > 65535)) {
            return Optional.of("port must be between 1 and 65535");
        }
        if (isTurn() && (username.isBlank() || credential.isBlank())) {
            return Optional.of("a TURN server needs a username and a credential");
        }
        return Optional.empty();
    }

    public boolean isTurn() {
        return url.startsWith("turn:") || url.startsWith("turns:");
    }
}
