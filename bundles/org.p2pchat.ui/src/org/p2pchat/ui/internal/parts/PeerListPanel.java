package org.p2pchat.ui.internal.parts;

import java.time.Duration;
import java.util.List;
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
import org.eclipse.swt.widgets.Text;
import org.p2pchat.client.core.ConnectionMethod;
import org.p2pchat.client.core.Request;
import org.p2pchat.core.ConnectionState;
import org.p2pchat.core.identity.PublicIdentity;
import org.p2pchat.core.signaling.PeerAddress;
import org.p2pchat.core.signaling.ProviderAction;
import org.p2pchat.core.signaling.ProviderCapability;
import org.p2pchat.core.signaling.ProviderStatus;
import org.p2pchat.ui.widgets.HelpButton;

/**
 * A connection method that lists peers or takes requests (a rendezvous directory, the local
 * network, any provider with {@link ProviderCapability#PEER_LIST}, {@link ProviderCapability#CONNECT}
 * or {@link ProviderCapability#INCOMING}): the client is online with it (from its start where the
 * method has services, else from when the panel is first shown, until the client closes); the panel
 * shows its standing in each place it works through, the people it lists (contacts first and
 * marked, rows kept in place when the list refreshes), and connects to one of them or to an
 * unlisted peer by id, saying how the attempt goes with a Cancel. Requests from others appear in
 * the client's request bar.
 */
public final class PeerListPanel {

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
    static final String CANCEL = "directory.cancel";
    static final String UNREACHABLE = "directory.unreachable";
    /** A button of an action the method offers (e.g. "Start a local relay"), and what became of it. */
    static final String ACTION = "directory.action";
    static final String ACTION_STATUS = "directory.action.status";
    /** Marks a contact (someone we chatted with before) in the list. */
    static final String CONTACT_MARK = "\u2605 ";

    /** How long a name not listed yet is looked for: two people often start at the same moment. */
    private static final Duration FIND_PATIENCE = Duration.ofSeconds(10);

    private final String methodId;
    private final ClientPart client;
    private final Runnable relayout;
    private final Composite root;
    private final Composite services;
    private final TableViewer peers;
    private final Label peersStatus;
    private final Text peerId;
    private final StepStatus status;
    private final Button cancel;
    /** The people shown, in the order shown: a refresh keeps rows in place and adds new ones below. */
    private List<PeerAddress> shown = List.of();
    /** Identity keys of our contacts, as of the last refresh. */
    private java.util.Set<String> contactKeys = java.util.Set.of();
    /** The person the Connect page is asking; null if none. */
    private PeerAddress asking;

    private ConnectionMethod method;
    /** The action under way (its id), or null; what the last one came to, or null. */
    private String actionRunning;
    private String actionOutcome;
    private boolean actionFailed;
    /** Counts peer list requests; only the newest one's answer is shown. */
    private int peersRequest;

    PeerListPanel(Composite parent, ConnectionMethod method, ClientPart client, Runnable relayout) {
        this.methodId = method.id();
        this.method = method;
        this.client = client;
        this.relayout = relayout;
        root = new Composite(parent, SWT.NONE);
        GridLayoutFactory.fillDefaults().numColumns(2).spacing(8, 6).applyTo(root);
        GridDataFactory.fillDefaults().grab(true, true).applyTo(root);

        if (method.can(ProviderCapability.PEER_LIST)) {
            Composite listing = row(root);
            Button listed = Ui.tag(new Button(listing, SWT.CHECK), LISTED);
            listed.setText("Listed in the public directory");
            listed.setSelection(client.isListed());
            listed.addListener(SWT.Selection, e -> client.setListed(listed.getSelection()));
            HelpButton.create(listing, "Listed in the public directory",
                    "Listed: everyone using the same rendezvous service sees your name in their list and can ask to "
                            + "connect. Not listed: only people who know your id can reach you (copy it with \"Copy my "
                            + "id\" and send it to them). Either way nobody connects without your Accept.\n\nServices "
                            + "that only speak the web app's API list everyone; the choice applies to services with our "
                            + "authenticated API.");
        }

        Ui.heading(row(root), "Where you are reachable");
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
        peers.setComparer(new org.eclipse.jface.viewers.IElementComparer() {
            // A row is its person, whatever the service says of them since (last seen...); the
            // viewer compares its input with this too.
            @Override
            public boolean equals(Object a, Object b) {
                return a instanceof PeerAddress x && b instanceof PeerAddress y ? x.sameAddress(y)
                        : java.util.Objects.equals(a, b);
            }

            @Override
            public int hashCode(Object element) {
                return element instanceof PeerAddress p ? java.util.Objects.hash(p.provider(), p.scope(), p.id())
                        : java.util.Objects.hashCode(element);
            }
        });
        ColumnViewerToolTipSupport.enableFor(peers); // the full id of a row
        column("Name", 140, p -> (isContact(p) ? CONTACT_MARK : "") + (p.name().isEmpty() ? "(no name)" : p.name()));
        column("Id", 210, PeerListPanel::shortId);
        column("Where", 150, PeerAddress::scope);
        peers.addDoubleClickListener(e -> connectSelected());
        // Three rows at least; a taller window gives the list the rest of its height.
        GridDataFactory.fillDefaults().grab(true, true).hint(300, 3 * peers.getTable().getItemHeight()).applyTo(peers.getControl());
        Button connect = Ui.button(root, "Connect", CONNECT, this::connectSelected);
        connect.setToolTipText("Ask the selected person to connect (or double-click them)");
        GridDataFactory.fillDefaults().align(SWT.FILL, SWT.BEGINNING).applyTo(connect);
        peersStatus = Ui.tag(Ui.label(root, "", SWT.WRAP), PEERS_STATUS);
        peersStatus.setForeground(Ui.MUTED);
        GridDataFactory.fillDefaults().grab(true, false).span(2, 1).hint(300, SWT.DEFAULT).applyTo(peersStatus);

        Composite byId = row(root); // one line: the button names what the field is for
        GridDataFactory.fillDefaults().grab(true, false).span(2, 1).indent(0, 6).applyTo(byId);
        peerId = Ui.tag(new Text(byId, SWT.SINGLE | SWT.BORDER), PEER_ID);
        peerId.setMessage("Your peer's id, if they are not listed");
        peerId.addListener(SWT.DefaultSelection, e -> connectById());
        GridDataFactory.fillDefaults().grab(true, false).align(SWT.FILL, SWT.CENTER).applyTo(peerId);
        Ui.button(byId, "Connect by id", CONNECT_BY_ID, this::connectById);
        HelpButton.create(byId, "Connect by id",
                "People who are not listed can still be reached by their id. Ask them for it (they copy it with "
                        + "\"Copy my id\") and paste it here; a name works too if only one person listed has it.");
        status = new StepStatus(root, STATUS);
        cancel = Ui.button(root, "Cancel", CANCEL, this::cancel);
        cancel.setToolTipText("Stop asking: the request is withdrawn");
        GridDataFactory.fillDefaults().align(SWT.BEGINNING, SWT.CENTER).span(2, 1).applyTo(cancel);
        Ui.show(cancel, false);

        showServices();
        try {
            client.goOnline(methodId);
        } catch (RuntimeException e) { // the provider failed to start: said here, the window goes on
            status.error("Could not go online with " + method.displayName() + ": " + Ui.message(e));
        }
        if (method.status().stream().anyMatch(s -> s.state() == ProviderStatus.State.ONLINE)) {
            refreshPeers(); // online since the client started: the people are there to list
        }
    }

    private static Composite row(Composite parent) {
        Composite row = new Composite(parent, SWT.NONE);
        GridLayoutFactory.fillDefaults().numColumns(3).spacing(8, 0).applyTo(row);
        GridDataFactory.fillDefaults().grab(true, false).span(2, 1).applyTo(row);
        return row;
    }

    private void column(String title, int width, Function<PeerAddress, String> text) {
        TableViewerColumn column = new TableViewerColumn(peers, SWT.NONE);
        column.getColumn().setText(title);
        column.getColumn().setWidth(width);
        column.setLabelProvider(new ColumnLabelProvider() {
            @Override
            public String getText(Object element) {
                return text.apply((PeerAddress) element);
            }

            @Override
            public String getToolTipText(Object element) {
                return ((PeerAddress) element).id();
            }
        });
    }

    String methodId() {
        return methodId;
    }

    // ---- standing ------------------------------------------------------------------------------

    /** The method's standing changed; a place where we just became reachable lists its people. */
    void methodChanged(ConnectionMethod changed) {
        if (changed.equals(method) || root.isDisposed()) {
            return;
        }
        boolean wasOnline = method.status().stream().anyMatch(s -> s.state() == ProviderStatus.State.ONLINE);
        boolean online = changed.status().stream().anyMatch(s -> s.state() == ProviderStatus.State.ONLINE);
        boolean newPlace = changed.status().stream().filter(s -> s.state() == ProviderStatus.State.ONLINE)
                .anyMatch(s -> method.status().stream().noneMatch(before -> before.equals(s)));
        method = changed;
        showServices();
        if (online && (!wasOnline || newPlace)) {
            refreshPeers();
        }
    }

    private void showServices() {
        for (Control c : services.getChildren()) {
            c.dispose();
        }
        String nowhere = unreachableEverywhere(method);
        if (nowhere != null) {
            // Said once, in a colour that asks for attention, not alarm: nothing is broken, a service is missing.
            Label summary = Ui.tag(Ui.label(services, nowhere, SWT.WRAP), UNREACHABLE);
            summary.setForeground(Ui.WARNING);
            GridDataFactory.fillDefaults().grab(true, false).span(2, 1).hint(300, SWT.DEFAULT).applyTo(summary);
            actions();
        }
        if (method.status().isEmpty()) {
            Label none = Ui.tag(Ui.label(services, method.online()
                    ? "Not reachable anywhere yet. If this method works through services, add or enable one in File > "
                            + "Settings\u2026 (Ctrl+,); this page follows when you come back."
                    : "\u22ef Going online\u2026", SWT.WRAP), SERVICE);
            none.setForeground(method.online() ? Ui.ERROR : Ui.MUTED);
            GridDataFactory.fillDefaults().grab(true, false).span(2, 1).hint(300, SWT.DEFAULT).applyTo(none);
        }
        for (ProviderStatus s : nowhere != null ? List.<ProviderStatus>of() : method.status()) {
            Label line = Ui.tag(Ui.label(services, statusText(s), SWT.WRAP), SERVICE);
            line.setForeground(s.state() == ProviderStatus.State.ONLINE ? Ui.GOOD : Ui.MUTED);
            GridDataFactory.fillDefaults().grab(true, false).align(SWT.FILL, SWT.CENTER).hint(300, SWT.DEFAULT).applyTo(line);
            if (s.state() == ProviderStatus.State.ONLINE && !s.ourId().isEmpty()) {
                Button copy = Ui.button(services, "Copy my id", COPY_ID, () -> Ui.copyToClipboard(services, s.ourId()));
                copy.setToolTipText("Copy your id here, for a peer who connects by id: " + s.ourId());
            } else {
                GridDataFactory.fillDefaults().span(2, 1).applyTo(line);
            }
        }
        if (nowhere == null && actionRunning == null && !actionFailed && actionOutcome != null) {
            actionOutcome(actionOutcome, Ui.MUTED); // what the action did (a relay runs here, its log)
        }
        relayout.run();
    }

    /**
     * The method's offers to set things right (the provider's, e.g. starting the relay installed on
     * this computer), each a button beside the summary, with how the last one went.
     */
    private void actions() {
        for (ProviderAction action : method.actions()) {
            Button button = Ui.button(services, actionRunning != null ? action.label() + "\u2026" : action.label(),
                    ACTION, () -> perform(action));
            button.setToolTipText(action.description());
            button.setEnabled(actionRunning == null);
            GridDataFactory.fillDefaults().align(SWT.BEGINNING, SWT.CENTER).span(2, 1).applyTo(button);
        }
        if (actionRunning != null) {
            actionOutcome("\u22ef Starting\u2026", Ui.MUTED);
        } else if (actionFailed && actionOutcome != null) {
            actionOutcome(actionOutcome, Ui.ERROR);
        }
    }

    private void actionOutcome(String text, org.eclipse.swt.graphics.Color colour) {
        Label outcome = Ui.tag(Ui.label(services, text, SWT.WRAP), ACTION_STATUS);
        outcome.setForeground(colour);
        GridDataFactory.fillDefaults().grab(true, false).span(2, 1).hint(300, SWT.DEFAULT).applyTo(outcome);
    }

    private void perform(ProviderAction action) {
        actionRunning = action.id();
        actionOutcome = null;
        showServices();
        Ui.follow(action.label(), root, client.perform(methodId, action.id()), (said, error) -> {
            actionRunning = null;
            actionFailed = error != null;
            actionOutcome = error != null ? Ui.message(error) : said;
            showServices();
        });
    }

    static String statusText(ProviderStatus s) {
        String where = s.scope();
        String detail = s.detail().isEmpty() ? "" : " (" + s.detail() + ")";
        return switch (s.state()) {
            case CONNECTING -> "\u22ef " + where + ": registering\u2026";
            case ONLINE -> "\u25cf " + where + ": registered" + (s.ourId().isEmpty() ? "" : " as " + shortId(s.ourId()))
                    + detail;
            case UNREACHABLE -> "\u25cb " + where + ": not reachable" + detail;
            case CLOSED -> where + ": left";
        };
    }

    /**
     * What to say when the method is online but reachable nowhere (every place it works through is
     * unreachable: a first start with the default service on this computer, which runs none); null
     * otherwise.
     */
    public static String unreachableEverywhere(ConnectionMethod m) {
        if (!m.online() || m.status().isEmpty()
                || m.status().stream().anyMatch(s -> s.state() != ProviderStatus.State.UNREACHABLE)) {
            return null;
        }
        String why = String.join(" ", m.status().stream().map(s -> {
            String detail = s.detail().replace(" Retrying by itself.", "");
            return detail.contains(s.scope()) ? detail : s.scope() + (detail.isEmpty() ? "." : ": " + detail);
        }).toList());
        if (m.can(ProviderCapability.SERVERLESS)) {
            // No service to add: the network itself is missing (no interface, no multicast).
            return m.displayName() + " cannot use the network here, so nobody is found and nobody finds you. " + why
                    + "\nP2P Chat keeps trying in the background; the manual exchange works without it.";
        }
        return "No directory service is reachable, so nobody can find you here and nobody is listed. " + why
                + "\nTo chat through a directory, add a rendezvous service in File > Settings\u2026 (Ctrl+,) under "
                + m.displayName() + ", or ask the person you want to chat with which one they use. P2P Chat keeps "
                + "trying in the background; the manual exchange works without one.";
    }

    // ---- peers ---------------------------------------------------------------------------------

    private void refreshPeers() {
        if (!method.can(ProviderCapability.PEER_LIST)) {
            peersStatus.setText("This method lists nobody: connect by id.");
            return;
        }
        // Refresh stays clickable: a list that takes long is replaced by the newest one asked for.
        int request = ++peersRequest;
        peersStatus.setForeground(Ui.MUTED);
        peersStatus.setText("Looking for people online\u2026");
        Ui.follow("Listing people online", root, client.peers(methodId), (found, error) -> {
            if (request != peersRequest) {
                return;
            }
            if (error != null) {
                peersStatus.setText("Could not list people: " + Ui.message(error));
                peersStatus.setForeground(Ui.ERROR);
                return;
            }
            listed(found);
        });
    }

    /**
     * The method found people by itself (one without a server): the list follows, with no Refresh;
     * a list asked for with Refresh and not there yet is superseded.
     */
    void peersChanged(List<PeerAddress> found) {
        if (root.isDisposed()) {
            return;
        }
        ++peersRequest;
        listed(found);
    }

    private void listed(List<PeerAddress> found) {
        peersStatus.setForeground(Ui.MUTED);
        contactKeys = contactKeys();
        showPeers(found);
        boolean anyContact = found.stream().anyMatch(this::isContact);
        peersStatus.setText(switch (found.size()) {
            case 0 -> "Nobody else is listed right now. Refresh later, or connect by id.";
            case 1 -> "1 person online. Double-click to connect.";
            default -> found.size() + " people online. Double-click one to connect.";
        } + (anyContact ? " " + CONTACT_MARK + "marks people you chatted with before." : ""));
        relayout.run();
    }

    /**
     * Shows {@code found}: the rows shown before stay where they were (the list never moves under
     * the pointer), those gone leave, new ones come below; the selection stays on its person.
     */
    private void showPeers(List<PeerAddress> found) {
        List<PeerAddress> next = new java.util.ArrayList<>();
        for (PeerAddress before : shown) {
            found.stream().filter(before::sameAddress).findFirst().ifPresent(next::add);
        }
        for (PeerAddress p : found) {
            if (next.stream().noneMatch(p::sameAddress)) {
                next.add(p);
            }
        }
        Object selected = ((IStructuredSelection) peers.getSelection()).getFirstElement();
        shown = List.copyOf(next);
        peers.setInput(shown);
        if (selected instanceof PeerAddress was) {
            shown.stream().filter(was::sameAddress).findFirst()
                    .ifPresent(p -> peers.setSelection(new org.eclipse.jface.viewers.StructuredSelection(p)));
        }
    }

    private java.util.Set<String> contactKeys() {
        org.p2pchat.client.core.ChatClient c = client.chatClient();
        if (c == null) {
            return java.util.Set.of();
        }
        java.util.Set<String> keys = new java.util.HashSet<>();
        c.contacts().forEach(contact -> keys.add(contact.identity().key()));
        return keys;
    }

    private boolean isContact(PeerAddress p) {
        return p.identity().map(PublicIdentity::key).filter(contactKeys::contains).isPresent();
    }

    private void connectSelected() {
        PeerAddress peer = (PeerAddress) ((IStructuredSelection) peers.getSelection()).getFirstElement();
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
        status.busy("Looking for " + id + "\u2026");
        Ui.follow("Looking for " + id, root, client.find(methodId, id, FIND_PATIENCE), (peer, error) -> {
            if (error != null) {
                status.error(Ui.message(error));
            } else {
                connect(peer);
            }
        });
    }

    private void connect(PeerAddress peer) {
        asking = peer;
        status.busy("Asking " + displayName(peer) + " to connect\u2026");
        showCancel(true);
        client.connect(peer, error -> {
            showCancel(false);
            if (asking == peer) { // not cancelled meanwhile
                asking = null;
                status.error(Ui.message(error));
            }
        });
    }

    /** The person stops the attempt the Connect page is making. */
    private void cancel() {
        PeerAddress peer = asking;
        asking = null;
        showCancel(false);
        org.p2pchat.client.core.Conversation c = client.awaited();
        if (c != null && !c.state().isFinal()) {
            c.leave();
        }
        status.info(peer == null ? "Cancelled." : "Cancelled: you stopped asking " + displayName(peer) + ".");
    }

    private void showCancel(boolean visible) {
        if (!cancel.isDisposed()) {
            Ui.show(cancel, visible);
            relayout.run();
        }
    }

    /** How the attempt goes, in the client layer's words. */
    void progress(String text) {
        status.busy(text);
        showCancel(true);
    }

    /** The user accepted a request from the request bar. */
    void accept(Request request) {
        asking = request.from();
        status.busy("Accepting " + displayName(request.from()) + "'s request\u2026");
        showCancel(true);
        client.accept(request, error -> {
            showCancel(false);
            if (asking == request.from()) {
                asking = null;
                status.error("Could not accept " + displayName(request.from()) + "'s request: " + Ui.message(error));
            }
        });
    }

    /** A request refused by the client layer (a failed proof, say). */
    void refused(String text) {
        status.error(text);
    }

    /** The conversation being made changed state before the chat opened. */
    void stateChanged(ConnectionState state) {
        if (state == ConnectionState.CONNECTED) {
            asking = null;
            showCancel(false);
        }
        // Everything else is said by the client layer: its progress while it lasts, its reason when it ends.
    }

    /** The conversation ended before the chat opened. */
    void ended(String text) {
        showCancel(false);
        status.error(text);
    }

    /** Back from a chat: the list may have changed meanwhile. */
    void reset() {
        asking = null;
        showCancel(false);
        status.info("");
        if (method.status().stream().anyMatch(s -> s.state() == ProviderStatus.State.ONLINE)) {
            refreshPeers();
        }
    }

    /** A peer's name, or its short id if it has none. */
    static String displayName(PeerAddress peer) {
        return peer.name().isBlank() ? shortId(peer) : peer.name();
    }

    /** A peer's id short enough to read: a key by its fingerprint's first groups. */
    static String shortId(PeerAddress peer) {
        return peer.identity().map(PeerListPanel::shortFingerprint).orElseGet(() -> shortId(peer.id()));
    }

    /**
     * An id short enough to read: an identity key (the id on an authenticated service) by its
     * fingerprint's first groups (every key's encoding starts alike); other ids shortened in the middle.
     */
    static String shortId(String id) {
        if (id.length() > 40) {
            try {
                return shortFingerprint(new PublicIdentity(id));
            } catch (IllegalArgumentException e) {
                // not a key after all: shown as text
            }
        }
        return id.length() <= 28 ? id : id.substring(0, 18) + "\u2026" + id.substring(id.length() - 8);
    }

    private static String shortFingerprint(PublicIdentity key) {
        return key.fingerprint().substring(0, 19);
    }
}
