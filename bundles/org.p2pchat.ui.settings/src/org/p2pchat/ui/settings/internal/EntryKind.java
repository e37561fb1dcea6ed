package org.p2pchat.ui.settings.internal;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

import org.eclipse.core.runtime.IProgressMonitor;
import org.p2pchat.core.health.HealthStatus;

/**
 * What one list of the settings dialog holds: its entries' fields, the rules an entry must
 * follow (delegated to core, so they live in one place), its defaults and how an entry is
 * checked.
 */
abstract class EntryKind<T> {

    /** Index of the name field in {@link #fields()}. */
    static final int NAME = 0;
    /** Index of the URL field in {@link #fields()}. */
    static final int URL = 1;

    /**
     * A text field of an entry.
     *
     * @param key    identifies the field's widgets (their data under {@link SettingsDialog#WIDGET_ID})
     * @param label  the field's label in the entry dialog and its column heading
     * @param hint   shown under the field while it is valid
     * @param secret typed like a password and never shown in the table
     * @param weight relative width of its table column
     */
    record Field(String key, String label, String hint, boolean secret, int weight) {
    }

    /**
     * How an entry's parts are read; the entries are core's records, which share no interface.
     *
     * @param values  the entry's text, one value per field
     * @param enabled whether sessions use it
     * @param builtIn whether the client ships with it
     * @param problem what is wrong with it, by core's rules
     */
    record Access<T>(Function<T, List<String>> values, Predicate<T> enabled, Predicate<T> builtIn,
            Function<T, Optional<String>> problem) {
    }

    private final Access<T> access;

    /** Identifies the list's widgets (tab, table, buttons); see {@link SettingsDialog#WIDGET_ID}. */
    final String id;
    /** Tab title, e.g. "STUN / TURN". */
    final String title;
    /** One entry, e.g. "ICE server". */
    final String singular;
    /** Several entries, e.g. "ICE servers". */
    final String plural;
    /** One sentence above the table. */
    final String description;
    /** The help popup's text. */
    final String help;

    EntryKind(Access<T> access, String id, String title, String singular, String plural, String description,
            String help) {
        this.access = access;
        this.id = id;
        this.title = title;
        this.singular = singular;
        this.plural = plural;
        this.description = description;
        this.help = help;
    }

    /** The text fields, name first, URL second. */
    abstract List<Field> fields();

    /** The entry's text, one value per field. */
    final List<String> values(T entry) {
        return access.values().apply(entry);
    }

    abstract T create(List<String> values, boolean enabled, boolean builtIn);

    final boolean enabled(T entry) {
        return access.enabled().test(entry);
    }

    final boolean builtIn(T entry) {
        return access.builtIn().test(entry);
    }

    /** What is wrong with the entry, from core's rules. */
    final Optional<String> problem(T entry) {
        return access.problem().apply(entry);
    }

    /** The field a {@link #problem} concerns. */
    int problemField(T entry) {
        return URL;
    }

    abstract List<T> defaults();

    /** Checks the entry; blocks, called in a job. */
    abstract HealthStatus check(T entry, IProgressMonitor monitor);

    final T withEnabled(T entry, boolean enabled) {
        return create(values(entry), enabled, builtIn(entry));
    }

    /** How the entry is named to the user: its name, or its URL if it has none. */
    final String label(T entry) {
        List<String> values = values(entry);
        return values.get(NAME).isBlank() ? values.get(URL) : values.get(NAME).strip();
    }
}
