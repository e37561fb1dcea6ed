package org.p2pchat.lan.ui.internal;

import java.io.IOException;

import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;

import org.eclipse.e4.ui.di.Persist;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.p2pchat.core.settings.SettingsStore;
import org.p2pchat.lan.LanSettings;
import org.p2pchat.ui.settings.SettingsPages;

/**
 * The local network provider's page of the settings dialog ({@link SettingsPages}): whether we
 * announce ourselves (else listen only), saved in its section {@value LanSettings#SECTION}; the
 * rest of the section (group, port, interfaces) is kept as it is.
 */
public class LanSettingsPage {

    static final String EXPLANATION = """
            Other P2P Chat clients on your local network find you when you announce yourself: your name, \
            your identity key and your computer's address on the network go to everyone on it, about every \
            five seconds, signed with your key. Without announcing (listen only) you still see the others and \
            can ask them to connect, but nobody lists you or can ask you. Takes effect the next time the \
            client starts.""";

    private final SettingsStore store;
    private LanSettings settings;
    private Button announce;

    @Inject
    public LanSettingsPage(SettingsStore store) {
        this.store = store;
    }

    @PostConstruct
    public void create(Composite parent) {
        settings = store.section(LanSettings.SECTION).read(LanSettings.class, LanSettings::defaults);
        Composite page = new Composite(parent, SWT.NONE);
        GridLayoutFactory.swtDefaults().applyTo(page);
        GridDataFactory.fillDefaults().grab(true, true).applyTo(page);
        announce = new Button(page, SWT.CHECK);
        announce.setText("&Announce me on the local network");
        announce.setSelection(!settings.listenOnly());
        announce.setData(SettingsPages.WIDGET_ID, "lan.announce");
        Label explanation = new Label(page, SWT.WRAP);
        explanation.setText(EXPLANATION);
        GridDataFactory.fillDefaults().grab(true, false).hint(400, SWT.DEFAULT).applyTo(explanation);
    }

    /** The check box, for tests. */
    public Button announce() {
        return announce;
    }

    @Persist
    public void save() throws IOException {
        store.section(LanSettings.SECTION).write(settings.withListenOnly(!announce.getSelection()));
    }
}
