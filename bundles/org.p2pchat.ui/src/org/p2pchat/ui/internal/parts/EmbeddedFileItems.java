package org.p2pchat.ui.internal.parts;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntFunction;

import org.eclipse.swt.custom.StyledText;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Control;
import org.p2pchat.client.core.FileItem;

/**
 * The file items of a {@link MessageList}: each rendered file row gets its controls
 * ({@link FileItemView}), sized for the list; its line holds one object character as big as they
 * are, and they are placed over it as the text is painted, scrolled or changed, and hidden while
 * out of view.
 */
final class EmbeddedFileItems {

    /** The widest an item gets: a readable width, as messengers show files. */
    private static final int MAX_WIDTH = 520;

    private final StyledText text;
    /** The list's rendered rows, in text order (the list's own, read here). */
    private final List<MessageRow> rows;
    private final Consumer<MessageRow> relayoutRow;
    private FileItemView.Actions actions;
    private boolean placeQueued;

    /**
     * @param rowAt       the rendered row at an offset of the text, or null
     * @param relayoutRow lays the line of a row out again (its item changed size)
     */
    EmbeddedFileItems(StyledText text, List<MessageRow> rows, IntFunction<MessageRow> rowAt,
            Consumer<MessageRow> relayoutRow) {
        this.text = text;
        this.rows = rows;
        this.relayoutRow = relayoutRow;
        text.addPaintObjectListener(e -> {
            MessageRow row = e.style == null ? null : rowAt.apply(e.style.start);
            if (row != null && row.view != null && e.style.metrics != null) {
                place(row, e.x, e.y + e.ascent - e.style.metrics.ascent);
            }
        });
    }

    /** What the buttons of the items do; items are made only once it is known. */
    void actions(FileItemView.Actions does) {
        actions = does;
    }

    /** Gives a file row being rendered its controls. */
    void attach(MessageRow b) {
        if (b.message.kind == ShownMessage.Kind.FILE && actions != null) {
            b.view = new FileItemView(text, actions);
            b.view.show(b.message.file());
            b.view.size(width());
            b.view.control().setVisible(false); // until it is placed over its line
        }
    }

    /** The rows leave the text: their controls go. */
    static void dispose(List<MessageRow> gone) {
        for (MessageRow b : gone) {
            if (b.view != null) {
                b.view.dispose();
                b.view = null;
            }
        }
    }

    /**
     * Shows {@code item} in the rendered row {@code b}.
     *
     * @return whether its size changed (its line was laid out again)
     */
    boolean update(MessageRow b, FileItem item) {
        Point before = b.view.lastSize();
        b.view.show(item);
        Point after = b.view.size(width());
        if (before == null || !before.equals(after)) {
            relayoutRow.accept(b);
            return true;
        }
        return false;
    }

    /** How wide an item is: most of the list, at most {@link #MAX_WIDTH}. */
    private int width() {
        int room = text.getClientArea().width - text.getLeftMargin() - text.getRightMargin() - 4;
        return Math.max(160, Math.min(MAX_WIDTH, room));
    }

    /** The list's width changed: items take their new width, and their lines the new heights. */
    void resized() {
        int width = width();
        for (MessageRow b : new ArrayList<>(rows)) {
            if (b.view != null) {
                Point before = b.view.lastSize();
                Point after = b.view.size(width);
                if (before == null || !before.equals(after)) {
                    relayoutRow.accept(b);
                }
            }
        }
    }

    /** Places the items once the current change is over. */
    void queuePlace() {
        if (placeQueued) {
            return;
        }
        placeQueued = true;
        Ui.async(text, () -> {
            placeQueued = false;
            place();
        });
    }

    /** Puts each rendered item over its line, and hides those out of view. */
    private void place() {
        for (MessageRow b : rows) {
            if (b.view != null) {
                Point at = text.getLocationAtOffset(b.start);
                place(b, at.x, at.y);
            }
        }
    }

    private void place(MessageRow b, int x, int y) {
        Point size = b.view.lastSize();
        if (size == null) {
            return;
        }
        Control c = b.view.control();
        Rectangle bounds = new Rectangle(x, y, size.x, size.y);
        if (!bounds.equals(c.getBounds())) {
            c.setBounds(bounds);
        }
        boolean inView = y + size.y > 0 && y < text.getClientArea().height;
        if (c.getVisible() != inView) {
            c.setVisible(inView);
        }
    }
}
