package org.p2pchat.dht.ui.internal;

import java.io.IOException;
import java.util.List;

import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;

import org.eclipse.e4.ui.di.Persist;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.swt.widgets.Composite;
import org.p2pchat.core.health.ServiceHealth;
import org.p2pchat.core.settings.ServiceEntry;
import org.p2pchat.core.settings.SettingsStore;
import org.p2pchat.signaling.dht.DhtSettings;
import org.p2pchat.ui.settings.ServiceListEditor;
import org.p2pchat.ui.settings.SettingsPages;
import org.p2pchat.ui.settings.SettingsUndo;

/**
 * The rendezvous provider's page of the settings dialog ({@link SettingsPages}): its list of
 * rendezvous services, with health checks, saved in its section {@value DhtSettings#SECTION}.
 */
public class RendezvousSettingsPage {

    static final ServiceListEditor.Kind KIND = new ServiceListEditor.Kind("rendezvous", "rendezvous service",
            "rendezvous services",
            "Services that pass the connection offer and answer between peers, instead of copy and paste.",
            """
                    A rendezvous service (the web app calls it "DHT") is a mailbox that passes the connection \
                    offer and answer between two peers, so that nobody has to copy them by hand.

                    It sees the name you chose, when you are online, your network addresses (they are part of \
                    the connection details) and whom you connect to. It never sees your messages or files: \
                    those go directly between the peers, encrypted.

                    The manual exchange (copy and paste the offer and the answer) needs no rendezvous \
                    service at all. For more privacy, run your own. "Check" asks the service's /health \
                    address.""",
            "http://host:port or https://host", () -> DhtSettings.defaults().services(),
            ServiceHealth::checkRendezvous);

    private final SettingsStore store;
    private ServiceListEditor services;

    @Inject
    public RendezvousSettingsPage(SettingsStore store) {
        this.store = store;
    }

    @PostConstruct
    void create(Composite parent, SettingsUndo undo) {
        DhtSettings settings = store.section(DhtSettings.SECTION).read(DhtSettings.class, DhtSettings::defaults);
        services = new ServiceListEditor(parent, KIND, settings.services(), undo);
        GridDataFactory.fillDefaults().grab(true, true).applyTo(services.control());
    }

    /** Refuses an invalid entry (one a hand edit left in the file) before anything is written. */
    @Persist
    void save() throws IOException {
        List<ServiceEntry> entries = services.entries();
        ServiceEntry.problemOf("rendezvous service", entries).ifPresent(problem -> {
            throw new IllegalArgumentException(problem);
        });
        store.section(DhtSettings.SECTION).write(new DhtSettings(entries));
    }
}
