package org.p2pchat.ui.settings;

import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.p2pchat.core.health.HealthStatus;
import org.p2pchat.core.settings.ServiceEntry;
import org.p2pchat.ui.settings.internal.EntryList;
import org.p2pchat.ui.settings.internal.ServiceKind;

/**
 * A list of services (a name and a URL each) as the settings dialog shows its lists: a table
 * with a "Use" check box and the last check's status, and buttons to add, edit, delete, check
 * (in the background) and restore the defaults. Entries are checked by core's rules as they are
 * typed. Checks still running stop when the control is disposed.
 */
public final class ServiceListEditor {

    /**
     * What the list holds.
     *
     * @param id          names the list's widgets ({@link SettingsPages#WIDGET_ID}), e.g. {@code rendezvous}
     * @param singular    one entry, e.g. "rendezvous service"
     * @param plural      several, e.g. "rendezvous services"
     * @param description one sentence above the table
     * @param help        the help popup's text
     * @param urlHint     shown under the URL field, e.g. "http://host:port or https://host"
     * @param defaults    what "Restore defaults" puts back
     * @param checker     checks a URL; blocks, called in a background job
     */
    public record Kind(String id, String singular, String plural, String description, String help, String urlHint,
            Supplier<List<ServiceEntry>> defaults, Function<String, HealthStatus> checker) {
    }

    private final EntryList<ServiceEntry> list;

    /** @param entries the entries to show first, in order */
    public ServiceListEditor(Composite parent, Kind kind, List<ServiceEntry> entries, SettingsUndo undo) {
        this.list = ServiceKind.list(parent, kind, entries, undo);
    }

    public Control control() {
        return list.control();
    }

    /** The entries as the user left them, in order. */
    public List<ServiceEntry> entries() {
        return list.entries();
    }
}
