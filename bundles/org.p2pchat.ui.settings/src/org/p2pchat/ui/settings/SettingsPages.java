package org.p2pchat.ui.settings;

/**
 * How a plug-in adds a page to the settings dialog, with no change to this bundle: its UI bundle
 * contributes a model fragment (extension point {@code org.eclipse.e4.workbench.model}) with a
 * part descriptor in the application's {@code descriptors}, tagged {@value #TAG}. The descriptor's
 * label is the page's tab, its tooltip the tab's tooltip, its {@code contributionURI} the page
 * class ({@code bundleclass://bundle/class}); a persisted state {@value #ORDER} places its tab
 * among the others (see there).
 * <p>
 * The dialog makes one page object per opening with the workbench's contribution factory, as
 * it makes parts, in a context that holds the page's area ({@code Composite}), the profile's
 * {@code SettingsStore} and the dialog's {@link SettingsUndo}. The page builds its controls in
 * its {@code @PostConstruct} method; on OK its {@code @Persist} method (if any) checks what the
 * user entered and writes the plug-in's settings section, throwing {@link IllegalArgumentException}
 * (its message is shown; nothing should have been written) or {@link java.io.IOException}; the
 * dialog then stays open. Cancel writes nothing. {@code @PreDestroy} runs when the dialog closes.
 */
public final class SettingsPages {

    /** The tag of a part descriptor that is a settings page. */
    public static final String TAG = "p2pchat.settings.page";

    /**
     * Persisted state of the descriptor: where its tab goes, a number. The client's own tabs are
     * at 0 (STUN/TURN) and 20 (trackers); a page without it goes at 100. Pages of the same number
     * follow the client's own, then each other by label.
     */
    public static final String ORDER = "p2pchat.settings.order";

    /**
     * Key of the widget data naming the dialog's controls, for tests and accessibility tools; a
     * page's tab is named by its descriptor's element id.
     */
    public static final String WIDGET_ID = "org.p2pchat.ui.settings.id";

    private SettingsPages() {
    }
}
