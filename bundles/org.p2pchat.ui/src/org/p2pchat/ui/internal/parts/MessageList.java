package org.p2pchat.ui.internal.parts;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.LineBackgroundEvent;
import org.eclipse.swt.custom.LineStyleEvent;
import org.eclipse.swt.custom.StyledText;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.ScrollBar;
import org.p2pchat.client.core.FileItem;
import org.p2pchat.history.DeliveryState;

/**
 * The conversation: the peer's messages on the left, ours on the right with how far delivery got
 * (a clock while sending, one tick sent, two delivered, a red "Not delivered · Send again" link),
 * notices centred in grey, file transfers as items with their own controls ({@link EmbeddedFileItems}).
 * It sticks to the newest line while the person is there (new lines, items growing, banners above,
 * resizes), and leaves them where they are once they scrolled up to read older ones.
 * <p>
 * It holds every line loaded so far (pages of the history, what came live), oldest first, without
 * repeats, but renders only a window of at most {@link #WINDOW} of them: near the top it renders
 * older loaded lines, or asks its {@link OlderLines} source for the page before; near the bottom the
 * newer ones again. So a conversation of 100,000 messages is a widget of a few hundred, and the
 * person's place is kept while lines come and go above it.
 * <p>
 * Styles and alignment come from a line style listener over the rendered blocks, so they survive
 * re-wrapping when the view is resized.
 */
final class MessageList {

    static final String ID = "chat.messages";
    /** The most lines rendered at once. */
    static final int WINDOW = 300;
    /** How many lines are rendered, or dropped, at once at an edge of the window. */
    static final int STEP = 50;
    private static final String GAP = "\n\n";

    private final StyledText text;
    private final List<ShownMessage> loaded = new ArrayList<>();
    private final Map<String, ShownMessage> byKey = new HashMap<>();
    /** The rendered lines: {@code loaded[first, first + blocks.size())}. */
    private final List<MessageRow> blocks = new ArrayList<>();
    private int first;
    private OlderLines older = OlderLines.NONE;
    private Consumer<ShownMessage> sendAgain = m -> {
    };
    private ShownMessage highlighted;
    /** While the list changes its own text and scrolling: its edges are looked at afterwards. */
    private boolean adjusting;
    private boolean checkQueued;
    /**
     * The newest line is to be in view once the list has a size: before, every line would be laid
     * out a character wide to find where the end is.
     */
    private boolean endOnceShown;
    /**
     * Sticky scrolling: whether the person is at the newest line. Only the person's scrolling
     * changes it (the bar, the wheel, keys); while it holds, the newest line stays in view after
     * new lines, items growing, banners above and resizes; while they read older lines, nothing
     * moves them.
     */
    private boolean following = true;
    private final EmbeddedFileItems items;

    MessageList(Composite parent) {
        text = Ui.tag(new StyledText(parent, SWT.MULTI | SWT.READ_ONLY | SWT.WRAP | SWT.V_SCROLL | SWT.BORDER), ID);
        text.setMargins(12, 10, 12, 10);
        text.setBackground(parent.getDisplay().getSystemColor(SWT.COLOR_LIST_BACKGROUND));
        text.setCaret(null);
        items = new EmbeddedFileItems(text, blocks, this::blockAt, this::rerender);
        text.addLineStyleListener(this::styleLine);
        text.addLineBackgroundListener(this::lineBackground);
        // GTK: after a height change (a banner above appears) StyledText keeps line layouts that lost
        // their wrap width, so right and centred lines fall back to the left. Re-setting the margins
        // drops those layouts.
        text.addListener(SWT.Resize, e -> {
            items.resized();
            realign();
            if (endOnceShown && text.getClientArea().width > 0) {
                endOnceShown = false;
                text.setTopPixel(Integer.MAX_VALUE);
            } else {
                stick(); // a banner above took room, or the window changed: the newest line stays in view
            }
            queueEdgeCheck();
            items.queuePlace();
        });
        // Scrolling by bar, wheel or keys repaints: the edges are looked at after each.
        // The bar and the keys have moved the text when these run (StyledText's own listeners come first).
        text.getVerticalBar().addListener(SWT.Selection, e -> {
            personScrolled();
            queueEdgeCheck();
        });
        text.addListener(SWT.KeyDown, e -> personScrolled());
        text.addListener(SWT.MouseWheel, e -> Ui.async(text, this::personScrolled));
        text.addListener(SWT.Paint, e -> {
            queueEdgeCheck();
            items.queuePlace();
        });
        text.addListener(SWT.MouseUp, this::click);
        text.addListener(SWT.MouseMove, this::hover);
    }

    /**
     * Lays the lines out again once the current layout pass is over; for changes around the list
     * that GTK finishes after the resize event (rows above appearing while the view is shown).
     */
    void realign() {
        Ui.async(text, () -> {
            text.setMargins(text.getLeftMargin(), text.getTopMargin(), text.getRightMargin(), text.getBottomMargin());
            stick(); // the lines' new heights may have moved the newest one
            items.queuePlace();
        });
    }

    /** What the buttons of file items do. */
    void onFileAction(FileItemView.Actions actions) {
        items.actions(actions);
    }

    StyledText control() {
        return text;
    }

    /** What "Send again" on one of our undelivered messages does. */
    void onSendAgain(Consumer<ShownMessage> action) {
        sendAgain = action;
    }

    void clear() {
        loaded.clear();
        byKey.clear();
        EmbeddedFileItems.dispose(blocks);
        blocks.clear();
        first = 0;
        older = OlderLines.NONE;
        highlighted = null;
        text.setText("");
    }

    /**
     * The conversation's newest page of the history, and where older ones come from: shown at the
     * bottom, with the lines shown before that the page does not hold after it (what came live).
     */
    void history(List<ShownMessage> newest, OlderLines source) {
        List<ShownMessage> before = new ArrayList<>(loaded);
        loaded.clear();
        byKey.clear();
        for (ShownMessage m : newest) {
            remember(m);
        }
        for (ShownMessage m : before) {
            if (m.key() == null || !byKey.containsKey(m.key())) {
                remember(m);
            }
        }
        older = source;
        first = Math.max(0, loaded.size() - WINDOW);
        render();
        if (text.getClientArea().width > 0) {
            text.setTopPixel(Integer.MAX_VALUE);
        } else {
            endOnceShown = true;
        }
        queueEdgeCheck();
    }

    private boolean remember(ShownMessage m) {
        String key = m.key();
        if (key != null && byKey.putIfAbsent(key, m) != null) {
            return false;
        }
        loaded.add(m);
        return true;
    }

    /** A line at the end, unless it is one shown already; follows it if the newest was in view. */
    void add(ShownMessage m) {
        boolean rendersEnd = first + blocks.size() == loaded.size();
        boolean follow = rendersEnd && following;
        if (!remember(m)) {
            return;
        }
        if (!rendersEnd) {
            return; // rendered when the person scrolls down to it
        }
        adjusting = true;
        try {
            appendMessageRow(m);
            if (follow && blocks.size() > WINDOW + STEP) {
                dropTop(blocks.size() - WINDOW);
            }
        } finally {
            adjusting = false;
        }
        if (follow) {
            text.setTopPixel(Integer.MAX_VALUE);
        }
        items.queuePlace();
    }

    /** The file item of transfer {@code transferId} as last shown; null if there is none. */
    FileItem fileItem(String transferId) {
        ShownMessage m = byKey.get(ShownMessage.fileKey(transferId));
        return m == null ? null : m.file();
    }

    /**
     * A file transfer: its item is added at the end the first time, and shows the transfer as it
     * stands after that, where it is.
     */
    void file(FileItem item) {
        ShownMessage m = byKey.get(ShownMessage.fileKey(item.id()));
        if (m == null) {
            add(ShownMessage.file(item));
            return;
        }
        m.update(item);
        MessageRow b = rendered(m);
        if (b == null || b.view == null) {
            return;
        }
        if (items.update(b, item)) {
            stick(); // its line took the item's new height
        }
        items.queuePlace();
    }

    /** A line of this window (not stored): a notice or an error. */
    void add(ShownMessage.Kind kind, String content) {
        add(ShownMessage.local(kind, content));
    }

    /** The message of that id, if loaded. */
    ShownMessage message(String messageId) {
        ShownMessage m = byKey.get(messageId);
        return m != null && messageId.equals(m.messageId) ? m : null;
    }

    /** The loaded line of history row {@code row}; null if it is not loaded. */
    ShownMessage byRow(long row) {
        for (int i = loaded.size() - 1; i >= 0; i--) {
            if (loaded.get(i).row == row) {
                return loaded.get(i);
            }
        }
        return null;
    }

    /** Loads older pages until {@code row} is loaded or there are none; false if it never came. */
    boolean loadUntil(long row) {
        while (byRow(row) == null) {
            if (!older.more() || !loadOlderPage()) {
                return false;
            }
        }
        return true;
    }

    /** One of our messages got further: its line says so. */
    void state(String messageId, DeliveryState state) {
        ShownMessage m = message(messageId);
        if (m == null || m.state() == state) {
            return;
        }
        m.state(state);
        MessageRow b = rendered(m);
        if (b != null) {
            rerender(b);
        }
    }

    /** Renders {@code m}'s surroundings, scrolls it into the upper part of the view and highlights it. */
    void reveal(ShownMessage m) {
        int index = loaded.indexOf(m);
        if (index < 0) {
            return;
        }
        highlighted = m;
        following = false; // the person reads this one
        if (rendered(m) == null) {
            first = Math.max(0, Math.min(index - STEP, loaded.size() - WINDOW));
            render();
        }
        MessageRow b = rendered(m);
        adjusting = true;
        try {
            text.setTopIndex(text.getLineAtOffset(b.start));
            text.setTopPixel(Math.max(0, text.getTopPixel() - text.getClientArea().height / 3));
        } finally {
            adjusting = false;
        }
        text.redraw();
        queueEdgeCheck();
    }

    ShownMessage highlighted() {
        return highlighted;
    }

    // ---- the window ----------------------------------------------------------------------------

    private void queueEdgeCheck() {
        if (checkQueued) {
            return;
        }
        checkQueued = true;
        Ui.async(text, () -> {
            checkQueued = false;
            checkEdges();
        });
    }

    /** Near the top, renders or loads older lines; near the bottom, renders the newer ones. */
    private void checkEdges() {
        if (adjusting || !text.isVisible()) {
            return;
        }
        if (following && !atEnd()) {
            stick(); // lines measured while painting (the text wraps, an item grew) moved the end down
        }
        int view = Math.max(1, text.getClientArea().height);
        if (text.getTopPixel() < view) {
            if (first == 0 && older.more()) {
                loadOlderPage();
            }
            if (first > 0) {
                renderOlder();
            }
        } else if (first + blocks.size() < loaded.size() && nearBottom(view)) {
            renderNewer();
        }
    }

    /** Loads the page before the oldest loaded line; false if it held nothing new. */
    private boolean loadOlderPage() {
        List<ShownMessage> page = older.load();
        List<ShownMessage> fresh = new ArrayList<>();
        for (ShownMessage m : page) {
            String key = m.key();
            if (key == null || byKey.putIfAbsent(key, m) == null) {
                fresh.add(m);
            }
        }
        loaded.addAll(0, fresh);
        first += fresh.size();
        return !fresh.isEmpty();
    }

    private void renderOlder() {
        int count = Math.min(STEP, first);
        List<ShownMessage> lines = loaded.subList(first - count, first);
        StringBuilder prefix = new StringBuilder();
        List<MessageRow> made = new ArrayList<>();
        for (ShownMessage m : lines) {
            MessageRow b = row(m);
            b.start = prefix.length();
            String t = b.render();
            prefix.append(t).append(GAP);
            made.add(b);
        }
        if (blocks.isEmpty()) {
            prefix.setLength(prefix.length() - GAP.length());
        }
        int inserted = prefix.length();
        keepingPlace(inserted, () -> {
            // The blocks first: StyledText asks for the new lines' styles while it takes the text.
            shift(0, inserted);
            blocks.addAll(0, made);
            first -= count;
            text.replaceTextRange(0, 0, prefix.toString());
            if (blocks.size() > WINDOW) {
                dropBottom(blocks.size() - WINDOW);
            }
        });
    }

    private void renderNewer() {
        int count = Math.min(STEP, loaded.size() - first - blocks.size());
        adjusting = true;
        try {
            for (ShownMessage m : new ArrayList<>(loaded.subList(first + blocks.size(), first + blocks.size() + count))) {
                appendMessageRow(m);
            }
        } finally {
            adjusting = false;
        }
        if (blocks.size() > WINDOW) {
            dropTop(blocks.size() - WINDOW);
        }
    }

    /** Renders {@code loaded[first, first + WINDOW)} anew. */
    private void render() {
        adjusting = true;
        try {
            EmbeddedFileItems.dispose(blocks);
            blocks.clear();
            StringBuilder all = new StringBuilder();
            int end = Math.min(loaded.size(), first + WINDOW);
            for (ShownMessage m : loaded.subList(first, end)) {
                if (!blocks.isEmpty()) {
                    all.append(GAP);
                }
                MessageRow b = row(m);
                b.start = all.length();
                String t = b.render();
                all.append(t);
                blocks.add(b);
            }
            text.setText(all.toString()); // after the blocks: StyledText asks for styles as it takes the text
        } finally {
            adjusting = false;
        }
    }

    private void appendMessageRow(ShownMessage m) {
        String gap = blocks.isEmpty() ? "" : GAP;
        MessageRow b = row(m);
        b.start = text.getCharCount() + gap.length();
        String t = b.render();
        blocks.add(b);
        text.replaceTextRange(text.getCharCount(), 0, gap + t);
    }

    /** Drops the {@code count} oldest rendered lines, keeping the person's place. */
    private void dropTop(int count) {
        int cut = blocks.get(count).start;
        keepingPlace(-cut, () -> {
            EmbeddedFileItems.dispose(blocks.subList(0, count));
            blocks.subList(0, count).clear();
            shift(0, -cut);
            first += count;
            text.replaceTextRange(0, cut, "");
        });
    }

    /** Drops the {@code count} newest rendered lines (below the view). */
    private void dropBottom(int count) {
        int keep = blocks.size() - count;
        int cut = blocks.get(keep - 1).end();
        EmbeddedFileItems.dispose(blocks.subList(keep, blocks.size()));
        blocks.subList(keep, blocks.size()).clear();
        text.replaceTextRange(cut, text.getCharCount() - cut, "");
    }

    /** The line's text changed (its delivery state): the blocks after it move. */
    private void rerender(MessageRow b) {
        int oldLength = b.length;
        String t = b.render();
        shift(blocks.indexOf(b) + 1, b.length - oldLength);
        adjusting = true;
        try {
            text.replaceTextRange(b.start, oldLength, t);
        } finally {
            adjusting = false;
        }
    }

    private void shift(int from, int delta) {
        for (int i = from; i < blocks.size(); i++) {
            blocks.get(i).start += delta;
        }
    }

    /**
     * Changes the text above the view by {@code delta} characters while the line at the top of the
     * view stays where it is on the screen.
     */
    private void keepingPlace(int delta, Runnable change) {
        adjusting = true;
        try {
            int topLine = text.getTopIndex();
            int topOffset = text.getCharCount() == 0 ? 0 : text.getOffsetAtLine(topLine);
            int linePixel = text.getLinePixel(topLine);
            change.run();
            int offset = Math.max(0, Math.min(text.getCharCount(), topOffset + delta));
            int line = text.getLineAtOffset(offset);
            text.setTopIndex(line);
            text.setTopPixel(Math.max(0, text.getTopPixel() + text.getLinePixel(line) - linePixel));
        } finally {
            adjusting = false;
        }
        queueEdgeCheck();
    }

    private MessageRow rendered(ShownMessage m) {
        for (MessageRow b : blocks) {
            if (b.message == m) {
                return b;
            }
        }
        return null;
    }

    private void styleLine(LineStyleEvent e) {
        MessageRow row = blockAt(e.lineOffset);
        if (row != null) {
            e.alignment = row.alignment();
            e.styles = row.styles(e.lineOffset, e.lineOffset + e.lineText.length());
        }
    }

    private void lineBackground(LineBackgroundEvent e) {
        MessageRow block = blockAt(e.lineOffset);
        if (block != null && block.message == highlighted) {
            e.lineBackground = Ui.ATTENTION;
        }
    }

    /** The rendered line covering {@code offset}. */
    private MessageRow blockAt(int offset) {
        return MessageRow.at(blocks, offset);
    }

    /** The undelivered message whose "Send again" is at {@code (x, y)}; null if none is. */
    private MessageRow linkAt(int x, int y) {
        int offset = text.getOffsetAtPoint(new Point(x, y));
        if (offset < 0) {
            return null;
        }
        MessageRow b = blockAt(offset);
        return b != null && b.isLink(offset) ? b : null;
    }

    private void click(Event e) {
        if (e.button != 1) {
            return;
        }
        MessageRow b = linkAt(e.x, e.y);
        if (b != null) {
            sendAgain.accept(b.message);
        }
    }

    private void hover(Event e) {
        MessageRow link = linkAt(e.x, e.y);
        text.setCursor(link == null ? null : text.getDisplay().getSystemCursor(SWT.CURSOR_HAND));
        int offset = text.getOffsetAtPoint(new Point(e.x, e.y));
        MessageRow b = offset < 0 ? null : blockAt(offset);
        String tip = b == null ? null : b.tipAt(offset);
        if (!java.util.Objects.equals(tip, text.getToolTipText())) {
            text.setToolTipText(tip);
        }
    }

    /** A row for {@code m}; a file item's with its controls. */
    private MessageRow row(ShownMessage m) {
        MessageRow b = new MessageRow(m);
        items.attach(b);
        return b;
    }

    // ---- sticky scrolling ----------------------------------------------------------------------

    /** The person scrolled (or may have: a key, the wheel): whether they are at the newest line now. */
    private void personScrolled() {
        if (!adjusting) {
            following = first + blocks.size() == loaded.size() && atBottom();
        }
        items.queuePlace();
    }

    /** Keeps the newest line in view if the person is following the conversation. */
    private void stick() {
        if (following && first + blocks.size() == loaded.size() && text.getClientArea().height > 0) {
            text.setTopPixel(Integer.MAX_VALUE);
        }
    }

    /** Whether the view is scrolled to the very end (or nothing scrolls). */
    private boolean atEnd() {
        ScrollBar bar = text.getVerticalBar();
        return bar == null || !bar.isVisible() || bar.getSelection() + bar.getThumb() >= bar.getMaximum();
    }

    /** Whether the newest line is in view (or nothing scrolls yet). */
    private boolean atBottom() {
        ScrollBar bar = text.getVerticalBar();
        return bar == null || !bar.isVisible()
                || bar.getSelection() + bar.getThumb() >= bar.getMaximum() - 2 * text.getLineHeight();
    }

    private boolean nearBottom(int view) {
        ScrollBar bar = text.getVerticalBar();
        return bar == null || bar.getSelection() + bar.getThumb() >= bar.getMaximum() - view;
    }
}
