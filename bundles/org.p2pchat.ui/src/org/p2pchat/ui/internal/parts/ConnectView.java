package org.p2pchat.ui.internal.parts;

import java.io.IOException;
import java.util.List;
import java.util.Objects;

import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.jface.resource.JFaceResources;
import org.eclipse.jface.viewers.ArrayContentProvider;
import org.eclipse.jface.viewers.ColumnLabelProvider;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.jface.viewers.StructuredSelection;
import org.eclipse.jface.viewers.TableViewer;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.ScrolledComposite;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.Text;
import org.p2pchat.client.core.BrokenProvider;
import org.p2pchat.client.core.ConnectionMethod;
import org.p2pchat.core.ConnectionState;
import org.p2pchat.core.identity.PublicIdentity;
import org.p2pchat.core.settings.SettingsStore;
import org.p2pchat.core.signaling.ProviderCapability;
import org.p2pchat.ui.widgets.HelpButton;

/**
 * The start page: who the user is (the name is edited in place and saved to the profile; the
 * identity key's fingerprint can be copied), every registered connection method, and for the
 * selected method what connects: the manual exchange's steps for a method that pastes, the people
 * and requests of a method that lists peers or carries requests.
 */
final class ConnectView {

    static final String USERNAME = "connect.username";
    static final String USERNAME_STATUS = "connect.username.status";
    static final String STATUS = "connect.status";
    static final String FINGERPRINT = "connect.fingerprint";
    static final String COPY_FINGERPRINT = "connect.copyFingerprint";
    static final String PROFILE = "connect.profile";
    /** Each line naming a connection plug-in that is installed but broken. */
    static final String BROKEN = "connect.broken";
    /** Below this width the page scrolls sideways rather than squeezing its columns. */
    private static final int MIN_WIDTH = 460;
    private static final int MARGIN = 12;
    /** What a vertical scroll bar takes before it is shown (GTK's are 14 to 16 pixels wide). */
    private static final int SCROLL_BAR_WIDTH = 16;
    private static final int CLASSIC_BARS_FROM = 64;

    private final ClientPart client;
    /** The scrolled page above its status line. */
    private final Composite page;
    private final ScrolledComposite scroller;
    private final Composite content;
    /** Name and key: the widest line that cannot wrap, so the page is never narrower. */
    private final Composite identity;
    private final Text username;
    private final Label usernameStatus;
    private final Label profile;
    private final Label fingerprint;
    private final Button copyFingerprint;
    private final TableViewer methods;
    /** The chosen method's name and what it does, beside the list. */
    private final Composite about;
    /** A line per connection plug-in installed but broken, below the list. */
    private final Composite broken;
    private List<BrokenProvider> shownBroken = List.of();
    /** What connects with the chosen method, below the list. */
    private final Composite details;
    private final Label status;
    private ManualExchangePanel exchange;
    private PeerListPanel peerList;
    private List<ConnectionMethod> current = List.of();
    /** The list is being set by the program: its selection events are not the user's. */
    private boolean refreshing;
    private String shownMethod;

    ConnectView(Composite parent, ClientPart client) {
        this.client = client;
        page = new Composite(parent, SWT.NONE);
        GridLayoutFactory.fillDefaults().spacing(0, 0).applyTo(page);
        page.setData(Ui.RELAYOUT, (Runnable) this::relayout);
        scroller = new ScrolledComposite(page, SWT.V_SCROLL | SWT.H_SCROLL);
        scroller.setExpandHorizontal(true);
        scroller.setExpandVertical(true);
        scroller.addListener(SWT.Resize, e -> {
            // Classic scroll bars: GTK's overlay bars are invisible until the pointer moves over them, so
            // a page cut off by a small window would not show that it scrolls. Set once the page has a
            // real size: GTK complains about classic bars in the 1x1 area a window starts with.
            Point size = scroller.getSize();
            if (scroller.getScrollbarsMode() != SWT.NONE && size.x > CLASSIC_BARS_FROM && size.y > CLASSIC_BARS_FROM) {
                scroller.setScrollbarsMode(SWT.NONE);
            }
            relayout();
        });
        GridDataFactory.fillDefaults().grab(true, true).applyTo(scroller);
        content = new Composite(scroller, SWT.NONE);
        scroller.setContent(content);
        GridLayoutFactory.fillDefaults().margins(MARGIN, 8).spacing(8, 4).applyTo(content);

        identity = new Composite(content, SWT.NONE);
        GridLayoutFactory.fillDefaults().numColumns(4).spacing(8, 4).applyTo(identity);
        GridDataFactory.fillDefaults().grab(true, false).applyTo(identity);
        Ui.label(identity, "Your name:", SWT.NONE);
        username = Ui.tag(new Text(identity, SWT.SINGLE | SWT.BORDER), USERNAME);
        username.setMessage("How your peer sees you");
        GridDataFactory.fillDefaults().hint(220, SWT.DEFAULT).applyTo(username);
        username.addListener(SWT.DefaultSelection, e -> saveUsername());
        username.addListener(SWT.FocusOut, e -> saveUsername());
        HelpButton.create(identity, "Your name",
                "The name your peer sees next to your messages. There is no account: any name works, and it is "
                        + "saved in this profile. Press Enter or leave the field to save it.");
        usernameStatus = Ui.tag(Ui.label(identity, "", SWT.NONE), USERNAME_STATUS);
        GridDataFactory.fillDefaults().grab(true, false).applyTo(usernameStatus);
        Ui.label(identity, "Your key:", SWT.NONE);
        fingerprint = Ui.tag(Ui.label(identity, "", SWT.NONE), FINGERPRINT);
        fingerprint.setFont(JFaceResources.getTextFont());
        GridDataFactory.fillDefaults().align(SWT.FILL, SWT.CENTER).applyTo(fingerprint);
        copyFingerprint = Ui.button(identity, "Copy", COPY_FINGERPRINT,
                () -> Ui.copyToClipboard(fingerprint, fingerprint.getText()));
        copyFingerprint.setToolTipText("Copy your key's fingerprint, to compare it with your peer");
        HelpButton.create(identity, "Your identity key",
                "This profile's identity key, created on first start and kept in the profile. Every offer and answer "
                        + "you send carries it with a signature, so your peer's app can check that nobody changed them on "
                        + "the way. The fingerprint is what people compare: your peer's chat shows it as your key.\n\n"
                        + "Keep the profile's identity.key private. A new key (a new profile, a reinstall) shows up for "
                        + "people who know you as a changed key.");

        // The methods beside what the chosen one is; below both, what connects with it.
        Composite methodArea = new Composite(content, SWT.NONE);
        GridLayoutFactory.fillDefaults().numColumns(2).spacing(16, 4).applyTo(methodArea);
        GridDataFactory.fillDefaults().grab(true, false).indent(0, 4).applyTo(methodArea);
        Composite heading = new Composite(methodArea, SWT.NONE);
        GridLayoutFactory.fillDefaults().numColumns(2).spacing(8, 0).applyTo(heading);
        Ui.heading(heading, "Connection methods");
        HelpButton.create(heading, "Connection methods",
                "A connection method is how you and your peer exchange the details that connect you. Methods are "
                        + "plug-ins: every installed one is listed here. Your messages never pass through the method: "
                        + "they travel directly between you, encrypted.");
        about = new Composite(methodArea, SWT.NONE);
        GridLayoutFactory.fillDefaults().spacing(0, 2).applyTo(about);
        GridDataFactory.fillDefaults().grab(true, false).span(1, 2).applyTo(about);
        methods = new TableViewer(methodArea, SWT.SINGLE | SWT.BORDER | SWT.FULL_SELECTION | SWT.V_SCROLL);
        methods.setContentProvider(ArrayContentProvider.getInstance());
        methods.setLabelProvider(new ColumnLabelProvider() {
            @Override
            public String getText(Object element) {
                ConnectionMethod m = method((String) element);
                return m == null ? (String) element : m.displayName();
            }
        });
        methods.addSelectionChangedListener(e -> {
            if (!refreshing) {
                showDetails(selectedMethod());
            }
        });
        GridDataFactory.fillDefaults().align(SWT.FILL, SWT.BEGINNING).hint(180, methodRows(2)).applyTo(methods.getControl());
        // The keyboard goes from the list to what the chosen method is, then to its panel.
        methodArea.setTabList(new Control[] {heading, methods.getControl(), about});
        broken = new Composite(content, SWT.NONE);
        GridLayoutFactory.fillDefaults().spacing(0, 2).applyTo(broken);
        GridDataFactory.fillDefaults().grab(true, false).exclude(true).applyTo(broken);
        broken.setVisible(false);
        details = new Composite(content, SWT.NONE);
        GridLayoutFactory.fillDefaults().spacing(0, 6).applyTo(details);
        GridDataFactory.fillDefaults().grab(true, true).indent(0, 2).applyTo(details);

        // The status line stays below the page, never scrolled away.
        Label separator = new Label(page, SWT.SEPARATOR | SWT.HORIZONTAL);
        GridDataFactory.fillDefaults().grab(true, false).applyTo(separator);
        Composite footer = new Composite(page, SWT.NONE);
        GridLayoutFactory.fillDefaults().numColumns(2).margins(12, 4).spacing(16, 0).applyTo(footer);
        GridDataFactory.fillDefaults().grab(true, false).applyTo(footer);
        // The status takes the width the profile's path leaves (a long text is cut, not pushed out of the
        // window); the path takes at most a third of the line (its tooltip has it whole).
        status = Ui.tag(Ui.label(footer, "", SWT.NONE), STATUS);
        GridDataFactory.fillDefaults().grab(true, false).hint(1, SWT.DEFAULT).align(SWT.FILL, SWT.CENTER)
                .applyTo(status);
        profile = Ui.tag(Ui.label(footer, "", SWT.NONE), PROFILE);
        profile.setForeground(Ui.MUTED);
        GridDataFactory.fillDefaults().align(SWT.END, SWT.CENTER).applyTo(profile);
        footer.addListener(SWT.Resize, e -> {
            GridData data = (GridData) profile.getLayoutData();
            int third = Math.max(80, footer.getClientArea().width / 3);
            int wanted = profile.computeSize(SWT.DEFAULT, SWT.DEFAULT).x;
            int hint = wanted > third ? third : SWT.DEFAULT;
            if (data.widthHint != hint) {
                data.widthHint = hint;
                footer.layout();
            }
        });
    }

    /** The status line's text; whole in its tooltip, as the line may cut it. */
    private void showStatus(String text) {
        status.setText(text);
        status.setToolTipText(text);
    }

    /** The height of the list of methods showing {@code rows} of them. */
    private int methodRows(int rows) {
        Table table = methods.getTable();
        return rows * table.getItemHeight() + 2 * table.getBorderWidth();
    }

    Control control() {
        return page;
    }

    /** Shows the profile and our identity; on the UI thread. */
    void profile(SettingsStore store, PublicIdentity self, String problem) {
        fingerprint.setText(self == null ? "not available (" + (problem == null ? "the client did not start" : problem) + ")"
                : self.fingerprint());
        copyFingerprint.setEnabled(self != null);
        if (store == null) {
            username.setText("");
            username.setEnabled(false);
            profile.setText("");
        } else {
            username.setEnabled(true);
            if (!username.isFocusControl()) {
                username.setText(store.get().username());
            }
            profile.setText("Profile: " + store.profileDirectory());
            profile.setToolTipText(store.profileDirectory().toString());
        }
        showStatus(problem != null ? problem : statusText(store, current.size()) + reach(store));
        relayout();
    }

    /** Shows the registered connection methods; on the UI thread. */
    void methods(List<ConnectionMethod> registered, SettingsStore store) {
        String selected = selectedId();
        current = List.copyOf(registered);
        ConnectionMethod keep = current.stream().filter(m -> m.id().equals(selected)).findFirst()
                .orElseGet(() -> firstChoice(current));
        refreshing = true;
        try {
            methods.setInput(current.stream().map(ConnectionMethod::id).toList());
            if (keep != null) {
                methods.setSelection(new StructuredSelection(keep.id()), true);
            }
        } finally {
            refreshing = false;
        }
        GridDataFactory.createFrom((GridData) methods.getControl().getLayoutData())
                .hint(180, methodRows(Math.clamp(current.size(), 1, 4))).applyTo(methods.getControl());
        showDetails(keep);
        showStatus(statusText(store, current.size()) + reach(store));
        org.p2pchat.client.core.ChatClient chat = client.chatClient();
        broken(chat == null ? List.of() : chat.brokenProviders());
        relayout();
    }

    /**
     * Names the connection plug-ins that are installed but broken, a line each with why, e.g.
     * "LAN discovery (org.p2pchat.lan 0.1.0) could not start: …"; the other methods work on.
     */
    void broken(List<BrokenProvider> now) {
        if (broken.isDisposed() || now.equals(shownBroken)) {
            return;
        }
        shownBroken = List.copyOf(now);
        for (Control c : broken.getChildren()) {
            c.dispose();
        }
        for (BrokenProvider b : shownBroken) {
            Label line = Ui.tag(Ui.label(broken, b.text(), SWT.WRAP), BROKEN);
            line.setForeground(Ui.WARNING);
            line.setToolTipText(b.text());
            GridDataFactory.fillDefaults().grab(true, false).hint(300, SWT.DEFAULT).applyTo(line);
        }
        ((GridData) broken.getLayoutData()).exclude = shownBroken.isEmpty();
        broken.setVisible(!shownBroken.isEmpty());
        relayout();
    }

    /** A method's standing changed. */
    void methodChanged(ConnectionMethod changed) {
        current = current.stream().map(m -> m.id().equals(changed.id()) ? changed : m).toList();
        methods.update(changed.id(), null);
        if (peerList != null && peerList.methodId().equals(changed.id())) {
            peerList.methodChanged(changed);
        }
        SettingsStore store = client.settingsStore();
        if (!status.isDisposed() && status.getText().startsWith("Ready")) {
            showStatus(statusText(store, current.size()) + reach(store));
        }
    }

    /**
     * Whether others can reach us through a directory, said on every page (the client registers
     * when it starts, whatever is shown); empty when no method works through one.
     */
    private String reach(SettingsStore store) {
        if (store == null || store.loadProblem().isPresent()) {
            return "";
        }
        for (ConnectionMethod m : current) {
            if (!m.online() || m.status().isEmpty()) {
                continue;
            }
            if (m.status().stream().anyMatch(s -> s.state() == org.p2pchat.core.signaling.ProviderStatus.State.ONLINE)) {
                return " People can reach you through " + m.displayName() + ".";
            }
            if (PeerListPanel.unreachableEverywhere(m) != null) {
                return " " + m.displayName() + (m.can(org.p2pchat.core.signaling.ProviderCapability.SERVERLESS)
                        ? ": cannot use the network here (its page says why)."
                        : ": no directory service is reachable (its page says how to add one).");
            }
        }
        return "";
    }

    private ConnectionMethod method(String id) {
        return current.stream().filter(m -> m.id().equals(id)).findFirst().orElse(null);
    }

    /**
     * The method shown before the user chose one: the first that contacts nobody (the client is
     * online with the methods that have services from its start, whatever is shown).
     */
    private static ConnectionMethod firstChoice(List<ConnectionMethod> current) {
        return current.stream().filter(m -> !needsOnline(m)).findFirst()
                .orElse(current.isEmpty() ? null : current.get(0));
    }

    private static boolean needsOnline(ConnectionMethod m) {
        return m.can(ProviderCapability.PEER_LIST) || m.can(ProviderCapability.CONNECT)
                || m.can(ProviderCapability.INCOMING);
    }

    private ConnectionMethod selectedMethod() {
        String id = selectedId();
        return id == null ? null : method(id);
    }

    private String selectedId() {
        return (String) ((IStructuredSelection) methods.getSelection()).getFirstElement();
    }

    private void showDetails(ConnectionMethod method) {
        String id = method == null ? null : method.id();
        if (Objects.equals(id, shownMethod)) {
            return; // keep an exchange in progress
        }
        shownMethod = id;
        exchange = null;
        peerList = null;
        for (Control c : about.getChildren()) {
            c.dispose();
        }
        for (Control c : details.getChildren()) {
            c.dispose();
        }
        Composite heading = new Composite(about, SWT.NONE);
        GridLayoutFactory.fillDefaults().numColumns(2).spacing(8, 0).applyTo(heading);
        Ui.heading(heading, method == null ? "No connection methods are installed" : method.displayName());
        if (method != null) {
            HelpButton.create(heading, method.displayName(), method.description());
        }
        Label description = Ui.label(about, method == null
                ? "Connection methods are plug-ins. Once one is installed and started it appears here without a restart."
                : firstSentence(method.description()), SWT.WRAP);
        GridDataFactory.fillDefaults().grab(true, false).hint(200, SWT.DEFAULT).applyTo(description);
        if (method != null && method.can(ProviderCapability.PASTE)) {
            exchange = new ManualExchangePanel(details, client, this::relayout);
        } else if (method != null && needsOnline(method)) {
            peerList = new PeerListPanel(details, method, client, this::relayout);
        } else if (method != null) {
            Label none = Ui.label(about, "This connection method cannot be used from the desktop client yet.", SWT.WRAP);
            none.setForeground(Ui.MUTED);
        }
        relayout();
    }

    /** The help button holds the whole description; the page shows its first sentence. */
    static String firstSentence(String text) {
        int end = text.indexOf(". ");
        return end < 0 ? text : text.substring(0, end + 1);
    }

    /**
     * Lays the page out for the width the window gives it: text wraps to that width (down to
     * {@value #MIN_WIDTH}, below which it scrolls sideways), and the page scrolls down when it is
     * higher than the window.
     */
    private void relayout() {
        if (scroller.isDisposed()) {
            return;
        }
        int full = scroller.getSize().x - 2 * scroller.getBorderWidth();
        int least = Math.max(MIN_WIDTH, identity.computeSize(SWT.DEFAULT, SWT.DEFAULT).x + 2 * MARGIN);
        int width = Math.max(least, full);
        Point size = content.computeSize(width, SWT.DEFAULT);
        if (size.y > scroller.getClientArea().height && width == full) { // the vertical bar takes its width
            width = Math.max(least, full - Math.max(scroller.getVerticalBar().getSize().x, SCROLL_BAR_WIDTH));
        }
        if (exchange != null) {
            exchange.columns(width - 2 * MARGIN);
        }
        // The range first, which sizes the page; then its layout (at its size: GTK complains about
        // controls laid out in a page not sized yet).
        scroller.setMinSize(content.computeSize(width, SWT.DEFAULT, true));
        content.layout(true, true);
        status.getParent().layout(true); // the status line's texts change with the page
        // Once more after GTK gave the bars their room: showing one narrows the area the other's range was set for.
        Ui.async(scroller, () -> scroller.layout(true));
    }

    private void saveUsername() {
        SettingsStore store = client.settingsStore();
        String name = username.getText().strip();
        if (store == null || name.equals(store.get().username())) {
            return;
        }
        usernameStatus.setText("Saving...");
        Ui.background("Saving your name", () -> {
            String result;
            try {
                store.save(store.get().withUsername(name));
                result = "Saved.";
            } catch (IOException | IllegalArgumentException e) {
                result = "Not saved: " + Ui.message(e);
            }
            String shown = result;
            Ui.async(usernameStatus, () -> {
                if (shown.startsWith("Saved")) {
                    client.profileChanged(); // the name others see
                }
                usernameStatus.setText(shown);
                usernameStatus.setForeground(shown.startsWith("Saved") ? Ui.MUTED : Ui.ERROR);
                usernameStatus.getParent().layout(true);
            });
        });
    }

    ManualExchangePanel exchange() {
        return exchange;
    }

    PeerListPanel peerList() {
        return peerList;
    }

    /** How the conversation being made goes, in the client layer's words. */
    void progress(String text) {
        if (peerList != null) {
            peerList.progress(text);
        }
    }

    /** The conversation being made changed state before the chat opened. */
    void stateChanged(ConnectionState state) {
        if (exchange != null) {
            exchange.stateChanged(state);
        }
        if (peerList != null) {
            peerList.stateChanged(state);
        }
    }

    static String statusText(SettingsStore store, int methodCount) {
        if (store == null) {
            return "The profile could not be opened: settings are not available.";
        }
        if (store.loadProblem().isPresent()) {
            return store.loadProblem().get();
        }
        return switch (methodCount) {
            case 0 -> "Ready. No connection methods installed.";
            case 1 -> "Ready. 1 connection method available.";
            default -> "Ready. " + methodCount + " connection methods available.";
        };
    }

    void setFocus() {
        methods.getControl().setFocus();
    }
}
