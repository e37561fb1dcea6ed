package org.p2pchat.ui.internal.parts;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.LineStyleEvent;
import org.eclipse.swt.custom.StyleRange;
import org.eclipse.swt.custom.StyledText;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.ScrollBar;

/**
 * The conversation: the peer's messages on the left, ours on the right, notices centred in grey.
 * It follows new messages unless the user scrolled up to read older ones.
 * <p>
 * Styles and alignment come from a line style listener over the list of shown messages, so they
 * survive re-wrapping when the view is resized.
 */
final class MessageList {

    static final String ID = "chat.messages";

    enum Kind {
        OWN, PEER, SYSTEM
    }

    /** One shown message: {@code [start, end)} in the text, the first {@code header} chars its header. */
    private record Block(Kind kind, int start, int end, int senderLength, int headerLength) {
    }

    private final StyledText text;
    private final List<Block> blocks = new ArrayList<>();

    MessageList(Composite parent) {
        text = Ui.tag(new StyledText(parent, SWT.MULTI | SWT.READ_ONLY | SWT.WRAP | SWT.V_SCROLL | SWT.BORDER), ID);
        text.setMargins(12, 10, 12, 10);
        text.setBackground(parent.getDisplay().getSystemColor(SWT.COLOR_LIST_BACKGROUND));
        text.setCaret(null);
        text.addLineStyleListener(this::styleLine);
        // GTK: after a height change (a banner above appears) StyledText keeps line layouts that lost
        // their wrap width, so right and centred lines fall back to the left. Re-setting the margins
        // drops those layouts.
        text.addListener(SWT.Resize, e -> realign());
    }

    /**
     * Lays the lines out again once the current layout pass is over; for changes around the list
     * that GTK finishes after the resize event (rows above appearing while the view is shown).
     */
    void realign() {
        Ui.async(text, () -> text.setMargins(text.getLeftMargin(), text.getTopMargin(), text.getRightMargin(),
                text.getBottomMargin()));
    }

    StyledText control() {
        return text;
    }

    void clear() {
        blocks.clear();
        text.setText("");
    }

    void add(Kind kind, String sender, long timestamp, String content) {
        boolean follow = atBottom();
        int start = text.getCharCount() == 0 ? 0 : text.getCharCount() + 1;
        String header = kind == Kind.SYSTEM ? "" : sender + "  " + Ui.clock(timestamp) + "\n";
        blocks.add(new Block(kind, start, start + header.length() + content.length(), sender.length(), header.length()));
        text.append((start == 0 ? "" : "\n") + header + content + "\n");
        if (follow) {
            text.setTopPixel(Integer.MAX_VALUE);
        }
    }

    private void styleLine(LineStyleEvent e) {
        Block block = blockAt(e.lineOffset);
        if (block == null) {
            return;
        }
        e.alignment = switch (block.kind()) {
            case OWN -> SWT.RIGHT;
            case PEER -> SWT.LEFT;
            case SYSTEM -> SWT.CENTER;
        };
        int lineEnd = e.lineOffset + e.lineText.length();
        List<StyleRange> styles = new ArrayList<>();
        if (block.kind() == Kind.SYSTEM) {
            range(styles, e.lineOffset, lineEnd, block.start(), block.end(), Ui.MUTED, SWT.ITALIC);
        } else {
            int senderEnd = block.start() + block.senderLength();
            range(styles, e.lineOffset, lineEnd, block.start(), senderEnd, block.kind() == Kind.OWN ? Ui.OWN : Ui.PEER,
                    SWT.BOLD);
            range(styles, e.lineOffset, lineEnd, senderEnd, block.start() + block.headerLength(), Ui.MUTED, SWT.NORMAL);
        }
        e.styles = styles.toArray(StyleRange[]::new);
    }

    /** Adds the part of {@code [from, to)} that lies on the line {@code [lineStart, lineEnd)}. */
    private static void range(List<StyleRange> styles, int lineStart, int lineEnd, int from, int to, Color color,
            int fontStyle) {
        int s = Math.max(lineStart, from);
        int end = Math.min(lineEnd, to);
        if (s < end) {
            styles.add(new StyleRange(s, end - s, color, null, fontStyle));
        }
    }

    /** The message covering {@code offset}, by binary search over the blocks in text order. */
    private Block blockAt(int offset) {
        int low = 0;
        int high = blocks.size() - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            Block b = blocks.get(mid);
            if (offset < b.start()) {
                high = mid - 1;
            } else if (offset > b.end()) {
                low = mid + 1;
            } else {
                return b;
            }
        }
        return null;
    }

    /** Whether the newest line is in view (or nothing scrolls yet). */
    private boolean atBottom() {
        ScrollBar bar = text.getVerticalBar();
        return bar == null || !bar.isVisible()
                || bar.getSelection() + bar.getThumb() >= bar.getMaximum() - 2 * text.getLineHeight();
    }
}
