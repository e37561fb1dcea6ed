package org.p2pchat.ui.settings;

import org.eclipse.swt.widgets.Control;

/**
 * The settings dialog's undo history (the Undo link and Ctrl+Z), in a page's context. A page
 * records what a destructive change (a delete, restoring defaults) can be undone with.
 */
@FunctionalInterface
public interface SettingsUndo {

    /**
     * @param where       a control of the page; undoing shows its tab
     * @param description what was done, shown beside the Undo link, e.g. "Deleted 2 trackers."
     * @param undo        takes the change back
     */
    void record(Control where, String description, Runnable undo);
}
