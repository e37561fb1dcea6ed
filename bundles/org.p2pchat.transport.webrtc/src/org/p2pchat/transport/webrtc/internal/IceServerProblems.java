package org.p2pchat.transport.webrtc.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * What one session's STUN and TURN servers did wrong, said in words a person can act on, each
 * server at most once per session. A server that answered with an error (a TURN server refusing
 * wrong or expired credentials: 401) is named at once, since no relay will come from it. A server
 * that did not answer (libwebrtc's 701) is named only when gathering ended without any candidate
 * from it: 701 also comes from interfaces that cannot reach a server that others reach.
 */
final class IceServerProblems {

    private final Consumer<String> problem;
    /** The servers named so far. */
    private final Set<String> named = ConcurrentHashMap.newKeySet();
    /** Servers that did not answer on some interface, and servers a candidate came from. */
    private final Set<String> silent = ConcurrentHashMap.newKeySet();
    private final Set<String> answering = ConcurrentHashMap.newKeySet();
    private volatile boolean gatheringEnded;

    /** @param problem says a problem to the session's listeners */
    IceServerProblems(Consumer<String> problem) {
        this.problem = problem;
    }

    /** A local candidate came through {@code url} (empty or null for a host candidate). */
    void answered(String url) {
        if (url != null && !url.isBlank()) {
            answering.add(url);
        }
    }

    /** libwebrtc's candidate error for {@code url}. */
    void error(int code, String url, String errorText) {
        if (url == null || url.isBlank()) {
            return;
        }
        if (code == 701) {
            silent.add(url);
            if (gatheringEnded) { // libwebrtc may report it after gathering ended
                nameSilentServers();
            }
            return;
        }
        if (code < 300 || code >= 700 || !named.add(url)) {
            return;
        }
        String text = errorText == null ? "" : " " + errorText.strip();
        String hint = code == 401 || code == 438 ? ": the username or password is wrong or has expired" : "";
        problem.accept(kind(url) + url + " refused us (" + code + text + ")" + hint);
    }

    /** Gathering ended (or began again, for an ICE restart). */
    void gathering(boolean ended) {
        gatheringEnded = ended;
        if (ended) {
            nameSilentServers();
        }
    }

    private void nameSilentServers() {
        for (String url : silent) {
            if (!answering.contains(url) && named.add(url)) {
                problem.accept(kind(url) + url + " did not answer (701); other servers and paths are still tried");
            }
        }
        silent.clear();
    }

    private static String kind(String url) {
        return url.startsWith("turn") ? "TURN server " : "STUN server ";
    }
}
