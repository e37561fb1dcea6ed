package org.p2pchat.ui.settings.internal;

import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

import org.eclipse.core.runtime.IProgressMonitor;
import org.p2pchat.core.health.HealthStatus;
import org.p2pchat.core.health.ServiceHealth;
import org.p2pchat.core.settings.ServiceEntry;
import org.p2pchat.core.settings.Settings;

/** Rendezvous services and BitTorrent trackers: a name and a URL. */
final class ServiceKind extends EntryKind<ServiceEntry> {

    private final List<Field> fields;
    private final Supplier<List<ServiceEntry>> defaults;
    private final Function<String, HealthStatus> checker;

    private ServiceKind(String id, String title, String singular, String plural, String description, String help,
            String urlHint, Supplier<List<ServiceEntry>> defaults, Function<String, HealthStatus> checker) {
        super(new Access<>(e -> List.of(e.name(), e.url()), ServiceEntry::enabled, ServiceEntry::builtIn,
                ServiceEntry::problem), id, title, singular, plural, description, help);
        this.fields = List.of(new Field("name", "Name", "A label for you", false, 22),
                new Field("url", "URL", urlHint, false, 30));
        this.defaults = defaults;
        this.checker = checker;
    }

    static ServiceKind rendezvous() {
        return new ServiceKind("rendezvous", "Rendezvous", "rendezvous service", "rendezvous services",
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
                "http://host:port or https://host", () -> Settings.defaults().rendezvousServices(),
                ServiceHealth::checkRendezvous);
    }

    static ServiceKind trackers() {
        return new ServiceKind("trackers", "Trackers", "tracker", "trackers",
                "BitTorrent trackers that help peers find each other when sharing files.",
                """
                        Trackers are only used for sharing files; chatting works without any.

                        When you share a file, a tracker helps the peers that want it find each other. It sees \
                        the file's identifier (its info hash) and the addresses of the peers sharing it, never \
                        the file's contents.

                        File transfers between P2P Chat apps use only udp:// trackers; the others (such as \
                        the WebTorrent wss:// ones) are skipped. A peer found through a tracker exchanges the \
                        file as plain BitTorrent, which is not encrypted.

                        "Check" tests whether the tracker accepts a connection. UDP trackers cannot be checked \
                        without using them.""",
                "wss://host, https://host/announce or udp://host:port", () -> Settings.defaults().trackers(),
                ServiceHealth::checkTracker);
    }

    @Override
    List<Field> fields() {
        return fields;
    }

    @Override
    ServiceEntry create(List<String> v, boolean enabled, boolean builtIn) {
        return new ServiceEntry(v.get(NAME), v.get(URL), enabled, builtIn);
    }

    @Override
    List<ServiceEntry> defaults() {
        return defaults.get();
    }

    @Override
    HealthStatus check(ServiceEntry entry, IProgressMonitor monitor) {
        return checker.apply(entry.url());
    }
}
