package org.p2pchat.ui.internal.parts;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.jface.viewers.ArrayContentProvider;
import org.eclipse.jface.viewers.ColumnLabelProvider;
import org.eclipse.jface.viewers.ColumnViewerToolTipSupport;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.jface.viewers.TableViewer;
import org.eclipse.jface.viewers.TableViewerColumn;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Listener;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;
import org.p2pchat.core.ConnectionState;
import org.p2pchat.core.identity.PublicIdentity;
import org.p2pchat.core.settings.Settings;
import org.p2pchat.core.settings.SettingsStore;
import org.p2pchat.core.signaling.DirectoryListener;
import org.p2pchat.core.signaling.DirectoryMembership;
import org.p2pchat.core.signaling.DirectoryOptions;
import org.p2pchat.core.signaling.DirectoryPeer;
import org.p2pchat.core.signaling.DirectorySignalingProvider;
import org.p2pchat.core.signaling.IncomingRequest;
import org.p2pchat.core.signaling.ServiceStatus;
import org.p2pchat.signaling.dht.DhtSettings;
import org.p2pchat.ui.widgets.HelpButton;

/**
 * A directory connection method (rendezvous services): while shown, we are registered with the
 * enabled services from the settings; the panel shows each service's state, the people listed,
 * and connects to one of them or to an unlisted peer by id. Requests from others appear in the
 * client's request bar. Choosing another method, or quitting, leaves the directory.
 * <p>
 * The membership's events arrive on the provider's threads and are handled on the UI thread; the
 * options it was joined with are compared when the window becomes active again (the settings
 * dialog may have changed the services) and it joins again if they changed.
 */
final class DirectoryPanel {

    static final String LISTED = "directory.listed";
    static final String SERVICES = "directory.services";
    static final String SERVICE = "directory.service";
    static final String COPY_ID = "directory.copyId";
    static final String PEERS = "directory.peers";
    static final String PEERS_STATUS = "directory.peers.status";
    static final String REFRESH = "directory.refresh";
    static final String CONNECT = "directory.connect";
    static final String PEER_ID = "directory.peerId";
    static final String CONNECT_BY_ID = "directory.connectById";
    static final String STATUS = "directory.status";

    private static final String AUTHENTICATED = "authenticated";

    private final DirectorySignalingProvider provider;
    private final ClientPart client;
    private final Runnable relayout;
    private final Composite root;
    private final Button listed;
    private final Composite services;
    private final TableViewer peers;
    private final Label peersStatus;
    private final Text peerId;
    private final StepStatus status;
    private final Shell shell;
    private final Listener windowActivated = e -> joinAgainIfChanged();

    /** The membership in use and what it was joined with; null while not joined. */
    private volatile Joined joined;
    private final Map<URI, ServiceStatus> serviceStates = new LinkedHashMap<>();
    private List<DirectoryPeer> listedPeers = List.of();
    /** Counts peer list requests; only the newest one's answer is shown. */
    private int peersRequest;

    DirectoryPanel(Composite parent, DirectorySignalingProvider provider, ClientPart client, Runnable relayout) {
        this.provider = provider;
        this.client = client;
        this.relayout = relayout;
        root = new Composite(parent, SWT.NONE);
        GridLayoutFactory.fillDefaults().numColumns(2).spacing(8, 6).applyTo(root);
        GridDataFactory.fillDefaults().grab(true, true).applyTo(root);

        Composite listing = row(root);
        listed = Ui.tag(new Button(listing, SWT.CHECK), LISTED);
        listed.setText("Listed in the public directory");
        listed.setSelection(true);
        listed.addListener(SWT.Selection, e -> joinAgainIfChanged());
        HelpButton.create(listing, "Listed in the public directory",
                "Listed: everyone using the same rendezvous service sees your name in their list and can ask to "
                        + "connect. Not listed: only people who know your id can reach you (copy it with \"Copy my id\" "
                        + "and send it to them). Either way nobody connects without your Accept.\n\nServices that only "
                        + "speak the web app's API list everyone; the choice applies to services with our "
                        + "authenticated API.");

        Ui.heading(row(root), "Rendezvous services");
        services = Ui.tag(new Composite(root, SWT.NONE), SERVICES);
        GridLayoutFactory.fillDefaults().numColumns(2).spacing(8, 2).applyTo(services);
        GridDataFactory.fillDefaults().grab(true, false).span(2, 1).applyTo(services);

        Composite peersHeading = row(root);
        GridDataFactory.fillDefaults().grab(true, false).span(2, 1).indent(0, 6).applyTo(peersHeading);
        Ui.heading(peersHeading, "People online");
        Ui.button(peersHeading, "Refresh", REFRESH, this::refreshPeers);
        peers = new TableViewer(root, SWT.SINGLE | SWT.BORDER | SWT.FULL_SELECTION | SWT.V_SCROLL);
        Ui.tag(peers.getTable(), PEERS);
        peers.getTable().setHeaderVisible(true);
        peers.setContentProvider(ArrayContentProvider.getInstance());
        ColumnViewerToolTipSupport.enableFor(peers); // the full id of a row
        column("Name", 140, p -> p.name().isEmpty() ? "(no name)" : p.name());
        column("Id", 210, p -> shortId(p.id(), p.authenticated()));
        column("Service", 150, p -> p.service().getHost() + (p.service().getPort() < 0 ? "" : ":" + p.service().getPort()));
        peers.addDoubleClickListener(e -> connectSelected());
        GridDataFactory.fillDefaults().grab(true, true).hint(300, 7 * peers.getTable().getItemHeight()).applyTo(peers.getControl());
        Button connect = Ui.button(root, "Connect", CONNECT, this::connectSelected);
        connect.setToolTipText("Ask the selected person to connect (or double-click them)");
        GridDataFactory.fillDefaults().align(SWT.FILL, SWT.BEGINNING).applyTo(connect);
        peersStatus = Ui.tag(Ui.label(root, "", SWT.WRAP), PEERS_STATUS);
        peersStatus.setForeground(Ui.MUTED);
        GridDataFactory.fillDefaults().grab(true, false).span(2, 1).hint(300, SWT.DEFAULT).applyTo(peersStatus);

        Composite byIdHeading = row(root);
        GridDataFactory.fillDefaults().grab(true, false).span(2, 1).indent(0, 6).applyTo(byIdHeading);
        Ui.heading(byIdHeading, "Connect by id");
        HelpButton.create(byIdHeading, "Connect by id",
                "People who are not listed can still be reached by their id on a service with our authenticated API. "
                        + "Ask them for it (they copy it with \"Copy my id\") and paste it here.");
        peerId = Ui.tag(new Text(root, SWT.SINGLE | SWT.BORDER), PEER_ID);
        peerId.setMessage("Your peer's id");
        peerId.addListener(SWT.DefaultSelection, e -> connectById());
        GridDataFactory.fillDefaults().grab(true, false).applyTo(peerId);
        Ui.button(root, "Connect by id", CONNECT_BY_ID, this::connectById);
        status = new StepStatus(root, STATUS);

        shell = root.getShell();
        shell.addListener(SWT.Activate, windowActivated);
        root.addListener(SWT.Dispose, e -> {
            shell.removeListener(SWT.Activate, windowActivated);
            leave();
        });
        join();
    }

    private static Composite row(Composite parent) {
        Composite row = new Composite(parent, SWT.NONE);
        GridLayoutFactory.fillDefaults().numColumns(3).spacing(8, 0).applyTo(row);
        GridDataFactory.fillDefaults().grab(true, false).span(2, 1).applyTo(row);
        return row;
    }

    private void column(String title, int width, Function<DirectoryPeer, String> text) {
        TableViewerColumn column = new TableViewerColumn(peers, SWT.NONE);
        column.getColumn().setText(title);
        column.getColumn().setWidth(width);
        column.setLabelProvider(new ColumnLabelProvider() {
            @Override
            public String getText(Object element) {
                return text.apply((DirectoryPeer) element);
            }

            @Override
            public String getToolTipText(Object element) {
                return ((DirectoryPeer) element).id();
            }
        });
    }

    // ---- membership ----------------------------------------------------------------------------

    /** A membership and its events; events of one that was replaced are ignored. */
    private final class Joined implements DirectoryListener {

        final DirectoryOptions options;
        volatile DirectoryMembership membership;

        Joined(DirectoryOptions options) {
            this.options = options;
        }

        private void ui(Runnable action) {
            Ui.async(root, () -> {
                if (joined == this) {
                    action.run();
                }
            });
        }

        @Override
        public void incoming(IncomingRequest request) {
            ui(() -> client.incoming(request));
        }

        @Override
        public void withdrawn(IncomingRequest request) {
            ui(() -> client.withdrawn(request));
        }

        @Override
        public void serviceChanged(ServiceStatus changed) {
            ui(() -> showChange(changed));
        }
    }

    /** The membership in use now; null while not joined. */
    DirectoryMembership membership() {
        Joined j = joined;
        return j == null ? null : j.membership;
    }

    /** What to join with from the settings now; null (after saying why) if nothing can be joined. */
    private DirectoryOptions options() {
        SettingsStore store = client.settingsStore();
        if (store == null) {
            return null;
        }
        Settings settings = store.get();
        List<URI> enabled = store.section(DhtSettings.SECTION).read(DhtSettings.class, DhtSettings::defaults)
                .enabledServices();
        return enabled.isEmpty() ? null
                : new DirectoryOptions(enabled, client.username(), listed.getSelection(), settings.sessionConfig());
    }

    private void join() {
        DirectoryOptions options = options();
        serviceStates.clear();
        if (options == null) {
            joined = null;
            showServices();
            return;
        }
        Joined j = new Joined(options);
        joined = j;
        options.services().forEach(uri -> serviceStates.put(uri, new ServiceStatus(uri, ServiceStatus.State.CONNECTING,
                null, null, null)));
        showServices();
        Ui.background("Joining the directory", () -> {
            DirectoryMembership m;
            try {
                m = provider.join(options, j);
            } catch (RuntimeException e) {
                j.ui(() -> status.error("Could not join the directory: " + Ui.message(e)));
                return;
            }
            j.membership = m;
            if (joined != j) {
                m.close(); // left (or joined again) while joining
                return;
            }
            j.ui(() -> m.services().forEach(this::showChange));
        });
    }

    /** Leaves and joins again if the name, the services, the listing or the session settings changed. */
    void joinAgainIfChanged() {
        if (root.isDisposed()) {
            return;
        }
        Joined j = joined;
        if (!Objects.equals(options(), j == null ? null : j.options)) {
            leave();
            join();
        }
    }

    private void leave() {
        Joined j = joined;
        joined = null;
        client.directoryLeft();
        if (j != null) {
            // Unregistering may wait on the network.
            Ui.background("Leaving the directory", () -> {
                DirectoryMembership m = j.membership;
                if (m != null) {
                    m.close();
                }
            });
        }
    }

    private void showChange(ServiceStatus changed) {
        ServiceStatus before = serviceStates.put(changed.service(), changed);
        showServices();
        boolean nowRegistered = changed.state() == ServiceStatus.State.REGISTERED
                && (before == null || before.state() != ServiceStatus.State.REGISTERED);
        if (nowRegistered) {
            refreshPeers();
        }
    }

    private void showServices() {
        for (Control c : services.getChildren()) {
            c.dispose();
        }
        if (serviceStates.isEmpty()) {
            Label none = Ui.tag(Ui.label(services, "No rendezvous service is enabled. Add or enable one in File > "
                    + "Settings\u2026 (Ctrl+,); this page follows when you come back.", SWT.WRAP), SERVICE);
            none.setForeground(Ui.ERROR);
            GridDataFactory.fillDefaults().grab(true, false).span(2, 1).hint(300, SWT.DEFAULT).applyTo(none);
        }
        for (ServiceStatus s : serviceStates.values()) {
            Label line = Ui.tag(Ui.label(services, serviceText(s), SWT.WRAP), SERVICE);
            line.setForeground(switch (s.state()) {
                case REGISTERED -> Ui.GOOD;
                case UNREACHABLE -> Ui.ERROR;
                default -> Ui.MUTED;
            });
            GridDataFactory.fillDefaults().grab(true, false).align(SWT.FILL, SWT.CENTER).hint(300, SWT.DEFAULT).applyTo(line);
            if (s.state() == ServiceStatus.State.REGISTERED && !s.ourId().isEmpty()) {
                Button copy = Ui.button(services, "Copy my id", COPY_ID, () -> Ui.copyToClipboard(services, s.ourId()));
                copy.setToolTipText("Copy your id on this service, for a peer who connects by id: " + s.ourId());
            } else {
                GridDataFactory.fillDefaults().span(2, 1).applyTo(line);
            }
        }
        relayout.run();
    }

    static String serviceText(ServiceStatus s) {
        String where = s.service().toString();
        return switch (s.state()) {
            case CONNECTING -> "\u22ef " + where + ": registering\u2026";
            case REGISTERED -> "\u25cf " + where + ": registered as " + shortId(s.ourId(), AUTHENTICATED.equals(s.api()))
                    + " via the " + (s.api().isEmpty() ? "" : s.api() + " ") + "API";
            case UNREACHABLE -> "\u25cb " + where + ": unreachable" + (s.detail().isEmpty() ? "" : " (" + s.detail() + ")")
                    + "; retrying";
            case CLOSED -> where + ": left";
        };
    }

    // ---- peers ---------------------------------------------------------------------------------

    private void refreshPeers() {
        DirectoryMembership m = membership();
        if (m == null) {
            peersStatus.setText(joined == null ? "" : "Registering\u2026");
            return;
        }
        // Refresh stays clickable: a list that takes long is replaced by the newest one asked for.
        int request = ++peersRequest;
        peersStatus.setForeground(Ui.MUTED);
        peersStatus.setText("Looking for people online\u2026");
        Ui.follow("Listing people online", root, m.peers(), (found, error) -> {
            if (request != peersRequest) {
                return;
            }
            if (error != null) {
                peersStatus.setText("Could not list people: " + Ui.message(error));
                peersStatus.setForeground(Ui.ERROR);
                return;
            }
            listedPeers = List.copyOf(found);
            peers.setInput(listedPeers);
            peersStatus.setText(switch (found.size()) {
                case 0 -> "Nobody else is listed right now. Refresh later, or connect by id.";
                case 1 -> "1 person online. Double-click to connect.";
                default -> found.size() + " people online. Double-click one to connect.";
            });
            relayout.run();
        });
    }

    private void connectSelected() {
        DirectoryPeer peer = (DirectoryPeer) ((IStructuredSelection) peers.getSelection()).getFirstElement();
        if (peer == null) {
            status.error("Choose someone in the list first, or connect by id.");
            return;
        }
        connect(peer);
    }

    private void connectById() {
        String id = peerId.getText().strip();
        if (id.isEmpty()) {
            status.error("Paste your peer's id first: they copy it with \"Copy my id\".");
            peerId.setFocus();
            return;
        }
        DirectoryPeer peer = listedPeers.stream().filter(p -> p.id().equals(id)).findFirst().orElseGet(() -> unlisted(id));
        if (peer == null) {
            status.error("Nobody listed has that id, and reaching an unlisted peer needs a service with our "
                    + "authenticated API; none is registered.");
            return;
        }
        connect(peer);
    }

    /** An unlisted peer, addressed on the first registered service that can reach it by id. */
    private DirectoryPeer unlisted(String id) {
        DirectoryMembership m = membership();
        return m == null ? null : m.services().stream()
                .filter(s -> s.state() == ServiceStatus.State.REGISTERED && AUTHENTICATED.equals(s.api()))
                .findFirst()
                .map(s -> new DirectoryPeer(id, "", s.service(), true, null))
                .orElse(null);
    }

    private void connect(DirectoryPeer peer) {
        status.busy("Asking " + displayName(peer) + " to connect\u2026");
        client.connectThroughDirectory(this::membership, peer,
                error -> status.error("Could not connect to " + displayName(peer) + ": " + Ui.message(error)));
    }

    /** The user accepted a request from the request bar. */
    void accept(IncomingRequest request) {
        status.busy("Accepting " + displayName(request.from()) + "'s request\u2026");
        client.acceptThroughDirectory(this::membership, request,
                error -> status.error("Could not accept " + displayName(request.from()) + "'s request: " + Ui.message(error)));
    }

    /** The session being negotiated changed state before the chat opened. */
    void stateChanged(ConnectionState state) {
        switch (state) {
            case CONNECTING -> status.busy("Connecting: finding a network path to your peer\u2026");
            case FAILED -> status.error("The connection failed: no network path between you and your peer was found. "
                    + "Try again; if it keeps failing, add a TURN server in Settings.");
            case CLOSED -> status.error("The connection was closed before the chat opened.");
            default -> {
                // CONNECTED opens the chat; NEW and DISCONNECTED need no words here.
            }
        }
    }

    /** Back from a chat: the list may have changed meanwhile. */
    void reset() {
        status.info("");
        refreshPeers();
    }

    /** A peer's name, or its short id if it registered without one. */
    static String displayName(DirectoryPeer peer) {
        return peer.name().isEmpty() ? shortId(peer.id(), peer.authenticated()) : peer.name();
    }

    /**
     * An id short enough to read: on an authenticated service the id is an identity key, shown by
     * its fingerprint's first groups (every key's encoding starts alike); a legacy id is shortened
     * in the middle.
     */
    static String shortId(String id, boolean authenticated) {
        if (authenticated) {
            try {
                return new PublicIdentity(id).fingerprint().substring(0, 19);
            } catch (IllegalArgumentException e) {
                // not a key after all: shown as text
            }
        }
        return id.length() <= 28 ? id : id.substring(0, 18) + "\u2026" + id.substring(id.length() - 8);
    }
}
