package org.p2pchat.ui.internal.parts;

import org.p2pchat.client.core.FileItem;
import org.p2pchat.core.ChatMessage;
import org.p2pchat.history.DeliveryState;
import org.p2pchat.history.Direction;
import org.p2pchat.history.StoredMessage;

/**
 * A line of a conversation as the chat view shows it: a message of the history, one that came
 * live, a notice of this window, or a file transfer. Only its delivery state (or the transfer)
 * changes; on the UI thread.
 */
final class ShownMessage {

    /** What a line is, which says where and how it is drawn. */
    enum Kind {
        /** Ours: on the right, with how far delivery got. */
        OWN,
        /** The peer's: on the left. */
        PEER,
        /** A notice: centred, grey. */
        SYSTEM,
        /** Something that failed: centred, red. */
        ERROR,
        /** A file transfer: an item with its own controls, on the left when received, the right when sent. */
        FILE
    }

    /** The history's row, or -1 for a line that did not come from a page of the history. */
    final long row;
    /** The sender's id for the message (the wire id), or null for a notice of this window. */
    final String messageId;
    final Kind kind;
    final String sender;
    final long timestamp;
    final String text;
    private DeliveryState state;
    /** For a {@link Kind#FILE}: the transfer as it stands now. */
    private FileItem file;

    private ShownMessage(long row, String messageId, Kind kind, String sender, long timestamp, String text,
            DeliveryState state) {
        this.row = row;
        this.messageId = messageId;
        this.kind = kind;
        this.sender = sender;
        this.timestamp = timestamp;
        this.text = text;
        this.state = state;
    }

    /** A message of a page of the history. */
    static ShownMessage stored(StoredMessage m) {
        Kind kind = m.direction() == Direction.OUTGOING ? Kind.OWN
                : m.direction() == Direction.INCOMING ? Kind.PEER : Kind.SYSTEM;
        return new ShownMessage(m.row(), m.messageId(), kind, m.sender(), m.timestamp(), m.text(), m.state());
    }

    /** Our message, just stored to be sent. */
    static ShownMessage ours(ChatMessage m) {
        return new ShownMessage(-1, m.id(), Kind.OWN, m.sender(), m.timestamp(), m.content(), DeliveryState.SENDING);
    }

    /** A message or a system notice from the peer, as it came. */
    static ShownMessage received(ChatMessage m) {
        return new ShownMessage(-1, m.id(), m.isSystemNotice() ? Kind.SYSTEM : Kind.PEER, m.sender(), m.timestamp(),
                m.content(), DeliveryState.RECEIVED);
    }

    /** A line this window adds (a connection notice, an error): never stored, never a repeat. */
    static ShownMessage local(Kind kind, String text) {
        return new ShownMessage(-1, null, kind, "", 0, text, DeliveryState.RECEIVED);
    }

    /** A file transfer, as the client layer says it now, at the time it was offered. */
    static ShownMessage file(FileItem item) {
        long offered = item.status().created();
        ShownMessage m = new ShownMessage(-1, null, Kind.FILE, item.status().peerName(),
                offered > 0 ? offered : System.currentTimeMillis(), "", DeliveryState.RECEIVED);
        m.file = item;
        return m;
    }

    /**
     * What makes the same line the same whether it came from a page or live: the message's id; for
     * a notice its time and text (the history gives a stored notice an id of its own); null for a
     * line of this window.
     */
    String key() {
        if (kind == Kind.FILE) {
            return fileKey(file.id());
        }
        if (messageId == null) {
            return null;
        }
        return kind == Kind.SYSTEM ? "notice\u0000" + timestamp + "\u0000" + text : messageId;
    }

    static String fileKey(String transferId) {
        return "file\u0000" + transferId;
    }

    FileItem file() {
        return file;
    }

    void update(FileItem now) {
        file = now;
    }

    DeliveryState state() {
        return state;
    }

    void state(DeliveryState newState) {
        state = newState;
    }
}
