package org.p2pchat.client.core;

import java.util.Objects;

/**
 * A connection provider plug-in that is installed but gives no connection method, and why: its
 * bundle does not resolve (it needs something no installed plug-in provides), it was not started,
 * or its provider component failed to start (its activation threw, or a service it needs is
 * missing). The other methods work as ever; views show {@link #text()}.
 *
 * @param bundle      the plug-in's bundle symbolic name
 * @param version     its bundle version
 * @param methodId    the id of the method it would give, or empty where its manifest does not say
 * @param displayName the method's name for a person where its manifest says it, else the plug-in's name
 * @param problem     what kind of failure
 * @param reason      why, in the framework's or the provider's own words
 */
public record BrokenProvider(String bundle, String version, String methodId, String displayName, Problem problem,
        String reason) {

    /** What went wrong, in the order a plug-in meets the steps. */
    public enum Problem {
        /** The framework cannot resolve the bundle: a requirement (a package, a capability) is missing. */
        NOT_RESOLVED,
        /** The bundle resolved but is not started. */
        NOT_STARTED,
        /** The bundle runs, its provider component does not: activation failed or a reference is missing. */
        FAILED
    }

    public BrokenProvider {
        Objects.requireNonNull(bundle, "bundle");
        version = version == null ? "" : version;
        methodId = methodId == null ? "" : methodId;
        displayName = displayName == null || displayName.isBlank() ? bundle : displayName;
        Objects.requireNonNull(problem, "problem");
        reason = reason == null ? "" : reason;
    }

    /** The plug-in as people and support see it: {@code org.p2pchat.lan 0.1.0}. */
    public String plugin() {
        return version.isEmpty() ? bundle : bundle + " " + version;
    }

    /**
     * The line a view shows, e.g. "LAN discovery (org.p2pchat.lan 0.1.0) could not start: the
     * provider's activation failed: …".
     */
    public String text() {
        String what = switch (problem) {
            case NOT_RESOLVED -> "cannot be loaded";
            case NOT_STARTED -> "is not started";
            case FAILED -> "could not start";
        };
        return displayName + " (" + plugin() + ") " + what + (reason.isEmpty() ? "." : ": " + reason);
    }
}
