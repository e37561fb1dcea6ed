package org.p2pchat.ui.settings.internal;

import org.p2pchat.core.health.HealthStatus;

/**
 * One line of a list: the entry and what its last health check said. Rows are compared by
 * identity, so two equal entries are still two lines of the table.
 */
final class Row<T> {

    T entry;
    /** The last check's result; {@code null} if not checked since the entry last changed. */
    HealthStatus status;
    /** Set while a check runs; a check whose token is no longer current is ignored. */
    Object checking;

    Row(T entry) {
        this.entry = entry;
    }

    /** A changed entry invalidates the last check, and any check still running. */
    void replace(T changed) {
        entry = changed;
        status = null;
        checking = null;
    }
}
