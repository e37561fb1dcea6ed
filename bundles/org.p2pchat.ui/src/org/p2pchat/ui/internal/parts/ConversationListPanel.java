package org.p2pchat.ui.internal.parts;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Menu;
import org.eclipse.swt.widgets.MenuItem;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableColumn;
import org.eclipse.swt.widgets.TableItem;
import org.eclipse.swt.widgets.Text;
import org.p2pchat.client.core.Conversation;
import org.p2pchat.client.core.ConversationEntry;
import org.p2pchat.client.core.Verification;
import org.p2pchat.history.SearchHit;
import org.p2pchat.history.StoredMessage;

/**
 * The sidebar: the list of conversations (who, verified or not, online or not, the last message,
 * how many are unread), the search across them, and what can be done with one (call again,
 * delete, export). Choosing a line shows its conversation; while a search is typed, the lines are
 * the messages found.
 */
final class ConversationListPanel {

    static final String LIST = "conversations.list";
    static final String SEARCH = "conversations.search";
    static final String NEW = "conversations.new";
    static final String CALL = "conversations.call";
    static final String STATUS = "conversations.status";
    static final String MENU_CALL = "conversations.menu.call";
    static final String MENU_EXPORT = "conversations.menu.export";
    static final String MENU_DELETE = "conversations.menu.delete";

    /** Messages a search lists at most. */
    static final int SEARCH_LIMIT = 50;
    private static final int SEARCH_DELAY_MILLIS = 250;

    /**
     * One line: a conversation of the history, a live conversation not stored yet (still
     * connecting), or a message found by the search.
     *
     * @param key the history's id, or {@code "live:" + conversation id} before it has one
     */
    record Row(String key, String title, Verification verification, boolean unverifiable, boolean online, String detail,
            long time, int unread, boolean live, Optional<SearchHit> hit) {

        /** What the line says, as text (the item's text, for tests and accessibility). */
        String text() {
            StringBuilder s = new StringBuilder(title);
            if (verification == Verification.VERIFIED) {
                s.append(" \u2713");
            } else if (verification == Verification.KEY_CHANGED) {
                s.append(" \u26a0 key changed");
            }
            if (hit.isEmpty()) {
                s.append(online ? " \u00b7 online" : " \u00b7 offline");
            }
            if (unread > 0) {
                s.append(" \u00b7 ").append(unread).append(" unread");
            }
            if (!detail.isEmpty()) {
                s.append(" \u00b7 ").append(detail);
            }
            return s.toString();
        }
    }

    private final ClientPart part;
    private final Composite root;
    private final Text search;
    private final Table table;
    private final Button call;
    private final Label status;
    /** The conversations of the history by id, as the client layer last reported them. */
    private final Map<String, ConversationEntry> entries = new LinkedHashMap<>();
    /** Live conversations the history does not have yet, by conversation id. */
    private final Map<String, Conversation> connecting = new LinkedHashMap<>();
    private List<Row> rows = List.of();
    /** The search shown, or null when the conversations are. */
    private List<SearchHit> hits;
    /** The key of the conversation in front, or null when the Connect page is. */
    private String front;
    private int searchGeneration;

    ConversationListPanel(Composite parent, ClientPart part) {
        this.part = part;
        root = new Composite(parent, SWT.NONE);
        GridLayoutFactory.fillDefaults().margins(8, 10).spacing(6, 6).applyTo(root);

        Button newConnection = Ui.button(root, "+ New connection", NEW, part::newConnection);
        newConnection.setToolTipText("Connect to someone through a directory or a manual exchange");
        GridDataFactory.fillDefaults().grab(true, false).applyTo(newConnection);

        search = Ui.tag(new Text(root, SWT.SEARCH | SWT.ICON_SEARCH | SWT.ICON_CANCEL | SWT.BORDER), SEARCH);
        search.setMessage("Search all conversations");
        GridDataFactory.fillDefaults().grab(true, false).applyTo(search);
        search.addListener(SWT.Modify, e -> searchLater());
        search.addListener(SWT.DefaultSelection, e -> searchNow());

        table = Ui.tag(new Table(root, SWT.SINGLE | SWT.FULL_SELECTION | SWT.V_SCROLL), LIST);
        table.setHeaderVisible(false);
        new TableColumn(table, SWT.NONE);
        GridDataFactory.fillDefaults().grab(true, true).hint(240, 200).applyTo(table);
        table.addListener(SWT.Resize, e -> table.getColumn(0).setWidth(table.getClientArea().width));
        table.addListener(SWT.MeasureItem, e -> e.height = 2 * lineHeight() + 12);
        table.addListener(SWT.EraseItem, e -> e.detail &= ~SWT.FOREGROUND);
        table.addListener(SWT.PaintItem, this::paint);
        table.addListener(SWT.Selection, e -> chosen(false));
        table.addListener(SWT.DefaultSelection, e -> chosen(true));
        table.setMenu(menu());

        call = Ui.button(root, "Call", CALL, this::callSelected);
        call.setToolTipText("Connect again through a directory you both use (or double-click the conversation)");
        GridDataFactory.fillDefaults().grab(true, false).applyTo(call);
        call.setEnabled(false);
        status = Ui.tag(Ui.label(root, "", SWT.WRAP), STATUS);
        GridDataFactory.fillDefaults().grab(true, false).hint(200, SWT.DEFAULT).applyTo(status);
        Ui.show(status, false);
    }

    Control control() {
        return root;
    }

    private int lineHeight() {
        GC gc = new GC(table);
        try {
            return gc.getFontMetrics().getHeight();
        } finally {
            gc.dispose();
        }
    }

    // ---- what the list holds -------------------------------------------------------------------

    /** Every conversation of the history, as the client layer lists them (a client opened). */
    void setEntries(List<ConversationEntry> all) {
        entries.clear();
        all.forEach(e -> entries.put(e.id(), e));
        connecting.clear();
        refresh();
    }

    void entryChanged(ConversationEntry entry) {
        entries.put(entry.id(), entry);
        entry.live().ifPresent(c -> connecting.remove(c.id()));
        refresh();
    }

    void entryRemoved(String historyId) {
        entries.remove(historyId);
        refresh();
    }

    /** A live conversation began; it is listed as connecting until the history has it. */
    void started(Conversation conversation) {
        if (conversation.historyId().isEmpty()) {
            connecting.put(conversation.id(), conversation);
            refresh();
        }
    }

    /** A live conversation ended: its line says so (one that never made it into the history goes). */
    void ended(Conversation conversation) {
        connecting.remove(conversation.id());
        refresh();
    }

    /** A live conversation got its history's id: its connecting line goes (the entry's comes). */
    void identified(Conversation conversation) {
        if (connecting.remove(conversation.id()) != null) {
            refresh();
        }
    }

    /** The person read the conversation: its count drops now (the client layer's EntryChanged follows). */
    void readLocally(String historyId) {
        ConversationEntry e = entries.get(historyId);
        if (e != null && e.summary().unread() > 0) {
            entries.put(historyId, new ConversationEntry(new org.p2pchat.history.ConversationSummary(
                    e.summary().conversation(), e.summary().last(), 0), e.online(), e.live()));
            refresh();
        }
    }

    Optional<ConversationEntry> entry(String historyId) {
        return Optional.ofNullable(entries.get(historyId));
    }

    /** The unread messages of every conversation. */
    int unread() {
        return entries.values().stream().mapToInt(e -> e.summary().unread()).sum();
    }

    /**
     * The conversations' keys in the order listed (what Ctrl+Tab and Ctrl+1..9 go through), but for
     * those still connecting (the Connect page shows their progress).
     */
    List<String> keys() {
        return conversationRows().stream().map(Row::key).filter(k -> !k.startsWith("live:")).toList();
    }

    /** Where the line of {@code key} ends on the screen (for a balloon to point at it); null if it is not shown. */
    org.eclipse.swt.graphics.Point lineLocation(String key) {
        for (int i = 0; i < rows.size() && hits == null; i++) {
            if (rows.get(i).key().equals(key)) {
                Rectangle r = table.getItem(i).getBounds();
                return table.toDisplay(Math.min(r.x + r.width, table.getClientArea().width) - 16, r.y + r.height / 2);
            }
        }
        return null;
    }

    /** The lines shown now (conversations, or search results). */
    List<Row> rows() {
        return rows;
    }

    /** Marks the line of the conversation in front; null for none (the Connect page). */
    void front(String key) {
        front = key;
        if (hits == null) {
            select();
        }
        updateCall();
    }

    private void refresh() {
        if (table.isDisposed()) {
            return;
        }
        rows = hits == null ? conversationRows() : hitRows();
        table.setRedraw(false);
        try {
            table.setItemCount(rows.size());
            for (int i = 0; i < rows.size(); i++) {
                TableItem item = table.getItem(i);
                item.setText(rows.get(i).text());
                item.setData(rows.get(i));
            }
            if (hits == null) {
                select();
            }
        } finally {
            table.setRedraw(true);
        }
        table.redraw();
        updateCall();
    }

    private void select() {
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).key().equals(front)) {
                table.setSelection(i);
                return;
            }
        }
        table.deselectAll();
    }

    private List<Row> conversationRows() {
        List<Row> list = new ArrayList<>();
        for (Conversation c : connecting.values()) {
            String name = c.peerName() == null || c.peerName().isBlank() ? "New connection" : c.peerName();
            list.add(new Row("live:" + c.id(), name, Verification.UNSIGNED, false, false, "connecting\u2026", Long.MAX_VALUE, 0,
                    true, Optional.empty()));
        }
        List<Row> stored = new ArrayList<>();
        for (ConversationEntry e : entries.values()) {
            var record = e.summary().conversation();
            Optional<StoredMessage> last = e.summary().last();
            String detail = last.map(m -> oneLine((m.direction() == org.p2pchat.history.Direction.OUTGOING ? "You: " : "")
                    + m.text())).orElse("No messages yet");
            boolean live = e.live().filter(c -> !c.state().isFinal()).isPresent();
            stored.add(new Row(e.id(), record.peerName(), e.verification(), record.peerKey().isEmpty(), e.online(),
                    detail, last.map(StoredMessage::timestamp).orElse(record.created()), e.summary().unread(), live,
                    Optional.empty()));
        }
        stored.sort(Comparator.comparingLong(Row::time).reversed());
        list.addAll(stored);
        return list;
    }

    private List<Row> hitRows() {
        List<Row> list = new ArrayList<>();
        for (SearchHit h : hits) {
            ConversationEntry e = entries.get(h.conversation().id());
            list.add(new Row(h.conversation().id(), h.conversation().peerName(), e != null ? e.verification()
                    : h.conversation().verified() ? Verification.VERIFIED : Verification.NOT_VERIFIED,
                    h.conversation().peerKey().isEmpty(), e != null && e.online(),
                    excerpt(h.message().text(), search.getText().strip()), h.message().timestamp(), 0, false,
                    Optional.of(h)));
        }
        return list;
    }

    private static String oneLine(String text) {
        return text.replaceAll("\\s+", " ").strip();
    }

    /** The words around the first match of {@code query} in {@code text}. */
    static String excerpt(String text, String query) {
        String line = oneLine(text);
        int at = query.isEmpty() ? -1 : line.toLowerCase().indexOf(query.toLowerCase());
        if (at <= 30) {
            return line;
        }
        int from = line.lastIndexOf(' ', at - 20);
        return "\u2026" + line.substring(from < 0 ? at - 20 : from + 1);
    }

    // ---- painting -------------------------------------------------------------------------------

    private void paint(Event e) {
        if (!(e.item.getData() instanceof Row row)) {
            return;
        }
        GC gc = e.gc;
        boolean selected = (e.detail & SWT.SELECTED) != 0;
        Color text = gc.getForeground();
        Color muted = selected ? text : Ui.MUTED;
        int height = gc.getFontMetrics().getHeight();
        int width = table.getClientArea().width;
        int x = e.x + 8;
        int y = e.y + 5;

        String time = row.time() == Long.MAX_VALUE ? "" : when(row.time());
        Point timeSize = gc.textExtent(time);
        gc.setForeground(muted);
        gc.drawText(time, width - timeSize.x - 8, y, true);

        if (row.hit().isEmpty()) {
            gc.setForeground(selected ? text : row.online() ? Ui.GOOD : Ui.MUTED);
            String dot = row.online() ? "\u25cf" : "\u25cb";
            gc.drawText(dot, x, y, true);
            x += gc.textExtent(dot).x + 6;
        }
        gc.setFont(Ui.bold());
        gc.setForeground(text);
        String title = row.title();
        gc.drawText(title, x, y, true);
        x += gc.textExtent(title).x + 6;
        gc.setFont(null);
        if (row.verification() == Verification.VERIFIED) {
            gc.setForeground(selected ? text : Ui.GOOD);
            gc.drawText("\u2713 verified", x, y, true);
        } else if (row.verification() == Verification.KEY_CHANGED) {
            gc.setForeground(selected ? text : Ui.ERROR);
            gc.drawText("\u26a0 key changed", x, y, true);
        } else if (row.verification() == Verification.NOT_VERIFIED) {
            gc.setForeground(muted);
            gc.drawText("not verified", x, y, true);
        } else if (row.unverifiable()) {
            gc.setForeground(muted);
            gc.drawText("unverified", x, y, true);
        }

        int badge = 0;
        if (row.unread() > 0) {
            String count = Integer.toString(row.unread());
            Point size = gc.textExtent(count);
            badge = Math.max(size.x + 10, height + 2);
            Rectangle r = new Rectangle(width - badge - 8, y + height + 2, badge, height + 2);
            gc.setBackground(Ui.OWN);
            gc.fillRoundRectangle(r.x, r.y, r.width, r.height, r.height, r.height);
            gc.setForeground(Ui.ON_ERROR);
            gc.drawText(count, r.x + (r.width - size.x) / 2, r.y + 1, true);
            badge += 8;
        }
        gc.setForeground(muted);
        gc.drawText(clip(gc, row.detail(), width - 16 - badge - 8), e.x + 8, y + height + 3, true);
        gc.setForeground(text);
    }

    private static final java.time.format.DateTimeFormatter DAY = java.time.format.DateTimeFormatter.ofPattern("d MMM");

    /** The time of a message today, else its day. */
    static String when(long epochMillis) {
        java.time.ZonedDateTime at = java.time.Instant.ofEpochMilli(epochMillis).atZone(java.time.ZoneId.systemDefault());
        return at.toLocalDate().equals(java.time.LocalDate.now()) ? Ui.clock(epochMillis) : DAY.format(at);
    }

    private static String clip(GC gc, String text, int width) {
        if (gc.textExtent(text).x <= width) {
            return text;
        }
        int n = text.length();
        while (n > 0 && gc.textExtent(text.substring(0, n) + "\u2026").x > width) {
            n--;
        }
        return text.substring(0, n) + "\u2026";
    }

    // ---- choosing -------------------------------------------------------------------------------

    private Optional<Row> selected() {
        int i = table.getSelectionIndex();
        return i < 0 || i >= rows.size() ? Optional.empty() : Optional.of(rows.get(i));
    }

    /** A click shows the conversation (at the message found); a double-click also calls a conversation that is not live. */
    private void chosen(boolean twice) {
        Optional<Row> row = selected();
        if (row.isEmpty()) {
            return;
        }
        Row r = row.get();
        if (r.hit().isPresent()) {
            part.showConversation(r.key(), r.hit().get().message().row());
        } else {
            part.showConversation(r.key(), -1);
            if (twice && !r.live() && !r.key().startsWith("live:")) {
                part.call(r.key());
            }
        }
        updateCall();
    }

    /** Shows the line of {@code key} as chosen, as a click does. */
    void choose(String key) {
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).key().equals(key)) {
                table.setSelection(i);
                chosen(false);
                return;
            }
        }
    }

    private void callSelected() {
        selected().filter(r -> !r.key().startsWith("live:")).ifPresent(r -> part.call(r.key()));
    }

    private void updateCall() {
        Optional<Row> row = selected();
        boolean can = row.isPresent() && !row.get().live() && !row.get().key().startsWith("live:")
                && !row.get().unverifiable();
        call.setEnabled(can);
        call.setText(row.map(r -> "Call " + r.title()).orElse("Call"));
        root.layout(true);
    }

    /** Says how calling (or deleting, exporting) went; an error in red. Null hides it. */
    void status(String text, boolean error) {
        status.setText(text == null ? "" : text);
        status.setForeground(error ? Ui.ERROR : Ui.MUTED);
        Ui.show(status, text != null);
        root.layout(true, true);
    }

    String statusText() {
        return status.getText();
    }

    private Menu menu() {
        Menu menu = new Menu(table);
        MenuItem callItem = Ui.tag(new MenuItem(menu, SWT.PUSH), MENU_CALL);
        callItem.setText("Call");
        callItem.addListener(SWT.Selection, e -> callSelected());
        MenuItem export = Ui.tag(new MenuItem(menu, SWT.PUSH), MENU_EXPORT);
        export.setText("Export\u2026");
        export.addListener(SWT.Selection, e -> selected().filter(r -> !r.key().startsWith("live:"))
                .ifPresent(r -> part.export(r.key())));
        new MenuItem(menu, SWT.SEPARATOR);
        MenuItem delete = Ui.tag(new MenuItem(menu, SWT.PUSH), MENU_DELETE);
        delete.setText("Delete\u2026");
        delete.addListener(SWT.Selection, e -> selected().filter(r -> !r.key().startsWith("live:"))
                .ifPresent(r -> part.delete(r.key())));
        menu.addListener(SWT.Show, e -> {
            Optional<Row> row = selected().filter(r -> !r.key().startsWith("live:"));
            callItem.setEnabled(row.isPresent() && !row.get().live() && !row.get().unverifiable());
            export.setEnabled(row.isPresent());
            delete.setEnabled(row.isPresent());
            callItem.setText(row.map(r -> "Call " + r.title()).orElse("Call"));
            delete.setText(row.map(r -> "Delete the conversation with " + r.title() + "\u2026").orElse("Delete\u2026"));
        });
        return menu;
    }

    // ---- search ---------------------------------------------------------------------------------

    private void searchLater() {
        int generation = ++searchGeneration;
        table.getDisplay().timerExec(SEARCH_DELAY_MILLIS, () -> {
            if (generation == searchGeneration && !table.isDisposed()) {
                searchNow();
            }
        });
    }

    /** Searches the history for what is typed (off the UI thread); an empty field shows the conversations again. */
    void searchNow() {
        int generation = ++searchGeneration;
        String query = search.getText().strip();
        if (query.isEmpty()) {
            hits = null;
            refresh();
            return;
        }
        CompletableFuture.supplyAsync(() -> part.search(query, SEARCH_LIMIT), r -> Thread.ofVirtual().start(r))
                .whenComplete((found, error) -> Ui.async(table, () -> {
                    if (generation != searchGeneration) {
                        return; // typed on meanwhile
                    }
                    if (error != null) {
                        status("Could not search: " + Ui.message(error), true);
                        return;
                    }
                    hits = found;
                    status(found.isEmpty() ? "No message contains \u201c" + query + "\u201d." : null, false);
                    refresh();
                }));
    }

    /** Whether a search is typed and its results are shown. */
    boolean isSearching() {
        return hits != null;
    }

    void setFocus() {
        table.setFocus();
    }
}
