package org.p2pchat.ui.internal.parts;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.StyleRange;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.GlyphMetrics;
import org.eclipse.swt.graphics.Point;
import org.p2pchat.history.DeliveryState;

/**
 * One line of the conversation as {@link MessageList} renders it: its text (for a message a header
 * with the sender, the time and, for ours, how far delivery got: a clock while sending, one tick
 * sent, two delivered, a red "Not delivered · Send again"; then the message), where it is in the
 * list's text, and its alignment and styles (ours on the right, the peer's on the left, notices
 * centred in grey, errors centred in red). A file transfer is one object character as big as its
 * item's controls ({@link FileItemView}), which the list places over it.
 */
final class MessageRow {

    static final String SEND_AGAIN = "Send again";
    /** A file item's place in the text: one object whose size is its controls'. */
    static final String FILE_OBJECT = "\uFFFC";

    final ShownMessage message;
    /** For a file item: its controls while the row is rendered. */
    FileItemView view;
    /** Where the row is in the list's text: {@code [start, start + length)}. */
    int start;
    int length;
    // Offsets within the row, set by render():
    private int senderEnd;
    private int stateStart;
    private int stateEnd;
    private int linkStart = -1;

    MessageRow(ShownMessage message) {
        this.message = message;
    }

    int end() {
        return start + length;
    }

    /** The row's text as its message stands now (its delivery state); sets its length and parts. */
    String render() {
        ShownMessage m = message;
        linkStart = -1;
        if (m.kind == ShownMessage.Kind.FILE) {
            senderEnd = stateStart = stateEnd = 0;
            length = FILE_OBJECT.length();
            return FILE_OBJECT;
        }
        if (m.kind == ShownMessage.Kind.SYSTEM || m.kind == ShownMessage.Kind.ERROR) {
            senderEnd = stateStart = stateEnd = 0;
            length = m.text.length();
            return m.text;
        }
        StringBuilder header = new StringBuilder(m.kind == ShownMessage.Kind.OWN ? "You" : m.sender);
        senderEnd = header.length();
        header.append("  ").append(Ui.clock(m.timestamp));
        stateStart = header.length();
        if (m.kind == ShownMessage.Kind.OWN) {
            header.append("  ").append(stateText(m.state()));
            if (m.state() == DeliveryState.NOT_DELIVERED) {
                linkStart = header.length() - SEND_AGAIN.length();
            }
        }
        stateEnd = header.length();
        String text = header.append('\n').append(m.text).toString();
        length = text.length();
        return text;
    }

    /** How far one of our messages got, as its row says it. */
    static String stateText(DeliveryState state) {
        return switch (state) {
            case SENDING -> "\u25f7"; // a clock
            case SENT -> "\u2713";
            case DELIVERED -> "\u2713\u2713";
            case NOT_DELIVERED -> "\u26a0 Not delivered \u00b7 " + SEND_AGAIN;
            case RECEIVED -> "";
        };
    }

    int alignment() {
        return switch (message.kind) {
            case OWN -> SWT.RIGHT;
            case PEER -> SWT.LEFT;
            case SYSTEM, ERROR -> SWT.CENTER;
            case FILE -> message.file().received() ? SWT.LEFT : SWT.RIGHT;
        };
    }

    /** The styles of the part of this row on the line {@code [lineStart, lineEnd)} of the list's text. */
    StyleRange[] styles(int lineStart, int lineEnd) {
        ShownMessage.Kind kind = message.kind;
        int s = start;
        List<StyleRange> styles = new ArrayList<>();
        if (kind == ShownMessage.Kind.FILE) {
            Point size = view == null ? null : view.lastSize();
            if (size != null && lineStart <= s && s < lineEnd) {
                StyleRange object = new StyleRange();
                object.start = s;
                object.length = FILE_OBJECT.length();
                object.metrics = new GlyphMetrics(size.y, 0, size.x);
                styles.add(object);
            }
        } else if (kind == ShownMessage.Kind.SYSTEM) {
            range(styles, lineStart, lineEnd, s, end(), Ui.MUTED, SWT.ITALIC, false);
        } else if (kind == ShownMessage.Kind.ERROR) {
            range(styles, lineStart, lineEnd, s, end(), Ui.ERROR, SWT.NORMAL, false);
        } else {
            range(styles, lineStart, lineEnd, s, s + senderEnd, kind == ShownMessage.Kind.OWN ? Ui.OWN : Ui.PEER,
                    SWT.BOLD, false);
            range(styles, lineStart, lineEnd, s + senderEnd, s + stateStart, Ui.MUTED, SWT.NORMAL, false);
            if (kind == ShownMessage.Kind.OWN) {
                DeliveryState state = message.state();
                boolean failed = state == DeliveryState.NOT_DELIVERED;
                Color colour = failed ? Ui.ERROR : state == DeliveryState.DELIVERED ? Ui.OWN : Ui.MUTED;
                range(styles, lineStart, lineEnd, s + stateStart, s + (linkStart >= 0 ? linkStart : stateEnd), colour,
                        failed ? SWT.BOLD : SWT.NORMAL, false);
                if (linkStart >= 0) {
                    range(styles, lineStart, lineEnd, s + linkStart, s + stateEnd, Ui.ERROR, SWT.BOLD, true);
                }
            }
        }
        return styles.toArray(StyleRange[]::new);
    }

    /** Adds the part of {@code [from, to)} that lies on the line {@code [lineStart, lineEnd)}. */
    private static void range(List<StyleRange> styles, int lineStart, int lineEnd, int from, int to, Color color,
            int fontStyle, boolean link) {
        int s = Math.max(lineStart, from);
        int end = Math.min(lineEnd, to);
        if (s < end) {
            StyleRange range = new StyleRange(s, end - s, color, null, fontStyle);
            if (link) {
                range.underline = true;
                range.underlineStyle = SWT.UNDERLINE_LINK;
            }
            styles.add(range);
        }
    }

    /** The row of {@code rows} (in text order) covering {@code offset}, by binary search; null if none does. */
    static MessageRow at(List<MessageRow> rows, int offset) {
        int low = 0;
        int high = rows.size() - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            MessageRow b = rows.get(mid);
            if (offset < b.start) {
                high = mid - 1;
            } else if (offset > b.end()) {
                low = mid + 1;
            } else {
                return b;
            }
        }
        return null;
    }

    /** Whether {@code offset} of the list's text is on this row's "Send again". */
    boolean isLink(int offset) {
        return linkStart >= 0 && offset >= start + linkStart && offset < start + stateEnd;
    }

    /** What the state at {@code offset} of the list's text means, for a tooltip; null if it is not on one. */
    String tipAt(int offset) {
        if (message.kind != ShownMessage.Kind.OWN || offset < start + stateStart || offset >= start + stateEnd) {
            return null;
        }
        return switch (message.state()) {
            case SENDING -> "Sending: waiting for the connection";
            case SENT -> "Sent; not confirmed by your peer's app yet";
            case DELIVERED -> "Delivered: your peer's app has it";
            case NOT_DELIVERED -> "Not delivered: the conversation ended before your peer's app confirmed it";
            case RECEIVED -> null;
        };
    }
}
