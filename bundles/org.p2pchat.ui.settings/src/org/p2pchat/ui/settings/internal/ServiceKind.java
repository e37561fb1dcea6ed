package org.p2pchat.ui.settings.internal;

import java.util.List;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.swt.widgets.Composite;
import org.p2pchat.core.files.FileSettings;
import org.p2pchat.core.health.HealthStatus;
import org.p2pchat.core.health.ServiceHealth;
import org.p2pchat.core.settings.ServiceEntry;
import org.p2pchat.ui.settings.ServiceListEditor;
import org.p2pchat.ui.settings.SettingsUndo;

/** Services of one kind (rendezvous services, BitTorrent trackers): a name and a URL. */
public final class ServiceKind extends EntryKind<ServiceEntry> {

    private final ServiceListEditor.Kind kind;
    private final List<Field> fields;

    private ServiceKind(ServiceListEditor.Kind kind) {
        super(new Access<>(e -> List.of(e.name(), e.url()), ServiceEntry::enabled, ServiceEntry::builtIn,
                ServiceEntry::problem), kind.id(), capitalized(kind.plural()), kind.singular(), kind.plural(),
                kind.description(), kind.help());
        this.kind = kind;
        this.fields = List.of(new Field("name", "Name", "A label for you", false, 22),
                new Field("url", "URL", kind.urlHint(), false, 30));
    }

    /** A list of services of {@code kind} in {@code parent}. */
    public static EntryList<ServiceEntry> list(Composite parent, ServiceListEditor.Kind kind,
            List<ServiceEntry> entries, SettingsUndo undo) {
        return new EntryList<>(parent, new ServiceKind(kind), entries, undo);
    }

    /** The file transfer's trackers, one of the client's own pages. */
    static ServiceListEditor.Kind trackers() {
        return new ServiceListEditor.Kind("trackers", "tracker", "trackers",
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
                "wss://host, https://host/announce or udp://host:port", () -> FileSettings.defaults().trackers(),
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
        return kind.defaults().get();
    }

    @Override
    HealthStatus check(ServiceEntry entry, IProgressMonitor monitor) {
        return kind.checker().apply(entry.url());
    }

    private static String capitalized(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
