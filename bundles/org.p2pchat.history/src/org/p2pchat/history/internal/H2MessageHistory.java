package org.p2pchat.history.internal;

import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.p2pchat.history.ConversationRecord;
import org.p2pchat.history.ConversationSummary;
import org.p2pchat.history.DeliveryState;
import org.p2pchat.history.Direction;
import org.p2pchat.history.HistoryPage;
import org.p2pchat.history.MessageHistory;
import org.p2pchat.history.SearchHit;
import org.p2pchat.history.StoredMessage;

/**
 * A {@link MessageHistory} in an H2 database: every call is one transaction of a
 * {@link HistoryConnection}, committed and in the file before it returns. Notices are lines of the
 * conversation but not activity: they neither move it up the list nor become its last message, and
 * search skips them.
 */
final class H2MessageHistory implements MessageHistory {

    private static final String CONVERSATION = "c.id, c.peer_key, c.peer_name, c.verified, c.best_effort, c.created";
    private static final int CONVERSATION_COLUMNS = 6;
    private static final String MESSAGE = "m.row_id, m.conversation_id, m.message_id, m.direction, m.seq, m.sender, "
            + "m.text, m.sent_at, m.state";
    private static final String CONVERSATION_ID_LETTERS = "abcdefghijkmnpqrstuvwxyz23456789";

    private final HistoryConnection db;
    private final SecureRandom random = new SecureRandom();

    H2MessageHistory(HistoryDatabase.Opened opened) throws SQLException {
        this.db = new HistoryConnection(opened);
    }

    // ---- conversations ---------------------------------------------------------------------------

    @Override
    public ConversationRecord conversationWith(String peerKey, String peerName) {
        if (peerKey == null || peerKey.isBlank()) {
            throw new IllegalArgumentException("A conversation with a peer needs the peer's key");
        }
        return db.transaction(() -> {
            PreparedStatement find = db.statement("SELECT " + CONVERSATION + " FROM conversation c WHERE c.peer_key = ?");
            find.setString(1, peerKey);
            Optional<ConversationRecord> found = HistoryConnection.one(find, rs -> conversation(rs, 1));
            if (found.isPresent()) {
                ConversationRecord c = found.get();
                if (peerName == null || peerName.isBlank() || peerName.equals(c.peerName())) {
                    return c;
                }
                updateName(c.id(), peerName);
                return new ConversationRecord(c.id(), c.peerKey(), peerName, c.verified(), c.bestEffort(), c.created());
            }
            return insertConversation(peerKey, peerName, false);
        });
    }

    @Override
    public ConversationRecord newUnverifiedConversation(String peerName) {
        return db.transaction(() -> insertConversation(null, peerName, true));
    }

    private ConversationRecord insertConversation(String peerKey, String peerName, boolean bestEffort)
            throws SQLException {
        String id = newConversationId();
        String name = peerName == null ? "" : peerName;
        long created = System.currentTimeMillis();
        PreparedStatement insert = db.statement("INSERT INTO conversation(id, peer_key, peer_name, verified, best_effort, "
                + "created, activity, last_row, last_out_seq, received_seq, unread) "
                + "VALUES (?, ?, ?, FALSE, ?, ?, ?, NULL, 0, 0, 0)");
        insert.setString(1, id);
        if (peerKey == null) {
            insert.setNull(2, Types.VARCHAR);
        } else {
            insert.setString(2, peerKey);
        }
        insert.setString(3, name);
        insert.setBoolean(4, bestEffort);
        insert.setLong(5, created);
        insert.setLong(6, nextRow());
        insert.executeUpdate();
        if (peerKey != null) {
            // The peer's client remembers how far we got before this person deleted the conversation.
            PreparedStatement counters = db.statement("UPDATE conversation c SET (last_out_seq, received_seq) = "
                    + "(SELECT d.last_out_seq, d.received_seq FROM deleted_peer d WHERE d.peer_key = c.peer_key) "
                    + "WHERE c.id = ? AND EXISTS (SELECT 1 FROM deleted_peer d WHERE d.peer_key = c.peer_key)");
            counters.setString(1, id);
            counters.executeUpdate();
            PreparedStatement forget = db.statement("DELETE FROM deleted_peer WHERE peer_key = ?");
            forget.setString(1, peerKey);
            forget.executeUpdate();
        }
        return new ConversationRecord(id, Optional.ofNullable(peerKey), name, false, bestEffort, created);
    }

    private String newConversationId() throws SQLException {
        while (true) {
            StringBuilder id = new StringBuilder("c");
            for (int i = 0; i < 11; i++) {
                id.append(CONVERSATION_ID_LETTERS.charAt(random.nextInt(CONVERSATION_ID_LETTERS.length())));
            }
            if (find(id.toString()).isEmpty()) {
                return id.toString();
            }
        }
    }

    @Override
    public Optional<ConversationRecord> conversation(String conversationId) {
        return db.transaction(() -> find(conversationId));
    }

    private Optional<ConversationRecord> find(String conversationId) throws SQLException {
        PreparedStatement find = db.statement("SELECT " + CONVERSATION + " FROM conversation c WHERE c.id = ?");
        find.setString(1, conversationId);
        return HistoryConnection.one(find, rs -> conversation(rs, 1));
    }

    @Override
    public List<ConversationSummary> conversations() {
        return db.transaction(() -> HistoryConnection.all(db.statement(summaries("") + " ORDER BY c.activity DESC"), this::summary));
    }

    @Override
    public Optional<ConversationSummary> summary(String conversationId) {
        return db.transaction(() -> {
            PreparedStatement select = db.statement(summaries(" WHERE c.id = ?"));
            select.setString(1, conversationId);
            return HistoryConnection.one(select, this::summary);
        });
    }

    private static String summaries(String where) {
        return "SELECT " + CONVERSATION + ", c.unread, " + MESSAGE
                + " FROM conversation c LEFT JOIN message m ON m.row_id = c.last_row" + where;
    }

    private ConversationSummary summary(ResultSet rs) throws SQLException {
        int messageColumn = CONVERSATION_COLUMNS + 2;
        rs.getLong(messageColumn);
        Optional<StoredMessage> last = rs.wasNull() ? Optional.empty() : Optional.of(message(rs, messageColumn));
        return new ConversationSummary(conversation(rs, 1), last, rs.getInt(CONVERSATION_COLUMNS + 1));
    }

    @Override
    public void rename(String conversationId, String peerName) {
        if (peerName == null || peerName.isBlank()) {
            return;
        }
        db.transaction(() -> {
            updateName(conversationId, peerName);
            return null;
        });
    }

    private void updateName(String conversationId, String peerName) throws SQLException {
        PreparedStatement update = db.statement("UPDATE conversation SET peer_name = ? WHERE id = ?");
        update.setString(1, peerName);
        update.setString(2, conversationId);
        expectOne(update.executeUpdate(), conversationId);
    }

    @Override
    public void setVerified(String conversationId, boolean verified) {
        db.transaction(() -> {
            PreparedStatement update = db.statement("UPDATE conversation SET verified = ? WHERE id = ?");
            update.setBoolean(1, verified);
            update.setString(2, conversationId);
            expectOne(update.executeUpdate(), conversationId);
            return null;
        });
    }

    @Override
    public void delete(String conversationId) {
        db.transaction(() -> {
            PreparedStatement messages = db.statement("DELETE FROM message WHERE conversation_id = ?");
            messages.setString(1, conversationId);
            messages.executeUpdate();
            PreparedStatement counters = db.statement("MERGE INTO deleted_peer(peer_key, last_out_seq, received_seq) "
                    + "KEY(peer_key) SELECT peer_key, last_out_seq, received_seq FROM conversation "
                    + "WHERE id = ? AND peer_key IS NOT NULL");
            counters.setString(1, conversationId);
            counters.executeUpdate();
            PreparedStatement conversation = db.statement("DELETE FROM conversation WHERE id = ?");
            conversation.setString(1, conversationId);
            expectOne(conversation.executeUpdate(), conversationId);
            return null;
        });
    }

    // ---- messages --------------------------------------------------------------------------------

    @Override
    public StoredMessage addOutgoing(String conversationId, String messageId, String sender, String text,
            long timestamp, boolean sequenced) {
        requireMessageId(messageId);
        return db.transaction(() -> {
            Counters counters = counters(conversationId);
            Optional<StoredMessage> stored = findMessage(conversationId, messageId);
            if (stored.isPresent()) {
                // Stored already (a caller that retried after a failure): the same message, not a second one.
                return stored.get();
            }
            long seq = sequenced ? counters.lastOutSeq() + 1 : 0;
            StoredMessage message = insert(conversationId, messageId, Direction.OUTGOING, seq, sender, text, timestamp,
                    DeliveryState.SENDING);
            PreparedStatement update = db.statement(
                    "UPDATE conversation SET last_out_seq = ?, activity = ?, last_row = ? WHERE id = ?");
            update.setLong(1, sequenced ? seq : counters.lastOutSeq());
            update.setLong(2, message.row());
            update.setLong(3, message.row());
            update.setString(4, conversationId);
            update.executeUpdate();
            return message;
        });
    }

    @Override
    public Optional<StoredMessage> addIncoming(String conversationId, String messageId, long seq, String sender,
            String text, long timestamp) {
        requireMessageId(messageId);
        if (seq < 0) {
            throw new IllegalArgumentException("A sequence number is 0 or more: " + seq);
        }
        return db.transaction(() -> {
            Counters counters = counters(conversationId);
            if (seq > 0) {
                if (seq <= counters.receivedSeq()) {
                    return Optional.<StoredMessage>empty();
                }
                PreparedStatement received = db.statement("UPDATE conversation SET received_seq = ? WHERE id = ?");
                received.setLong(1, seq);
                received.setString(2, conversationId);
                received.executeUpdate();
            }
            if (findMessage(conversationId, messageId).isPresent()) {
                return Optional.<StoredMessage>empty();
            }
            StoredMessage message = insert(conversationId, messageId, Direction.INCOMING, seq, sender, text, timestamp,
                    DeliveryState.RECEIVED);
            PreparedStatement update = db.statement(
                    "UPDATE conversation SET unread = unread + 1, activity = ?, last_row = ? WHERE id = ?");
            update.setLong(1, message.row());
            update.setLong(2, message.row());
            update.setString(3, conversationId);
            update.executeUpdate();
            return Optional.of(message);
        });
    }

    @Override
    public StoredMessage addNotice(String conversationId, String text, long timestamp) {
        return db.transaction(() -> {
            counters(conversationId);
            return insert(conversationId, "notice-" + UUID.randomUUID(), Direction.NOTICE, 0, "", text, timestamp,
                    DeliveryState.RECEIVED);
        });
    }

    private StoredMessage insert(String conversationId, String messageId, Direction direction, long seq,
            String sender, String text, long timestamp, DeliveryState state) throws SQLException {
        long row = nextRow();
        String s = sender == null ? "" : sender;
        String t = text == null ? "" : text;
        PreparedStatement insert = db.statement("INSERT INTO message(row_id, conversation_id, message_id, direction, seq, "
                + "sender, text, sent_at, state, pending) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        insert.setLong(1, row);
        insert.setString(2, conversationId);
        insert.setString(3, messageId);
        insert.setInt(4, Schema.code(direction));
        insert.setLong(5, seq);
        insert.setString(6, s);
        insert.setString(7, t);
        insert.setLong(8, timestamp);
        insert.setInt(9, Schema.code(state));
        insert.setBoolean(10, pending(direction, seq, state));
        insert.executeUpdate();
        return new StoredMessage(row, conversationId, messageId, direction, seq, s, t, timestamp, state);
    }

    /** Ours, sequenced, and not acknowledged: what is sent again after a reconnection. */
    private static boolean pending(Direction direction, long seq, DeliveryState state) {
        return direction == Direction.OUTGOING && seq > 0 && state != DeliveryState.DELIVERED;
    }

    @Override
    public long receivedSeq(String conversationId) {
        return db.transaction(() -> counters(conversationId).receivedSeq());
    }

    @Override
    public void setState(String conversationId, String messageId, DeliveryState state) {
        if (state == DeliveryState.RECEIVED) {
            throw new IllegalArgumentException("Our own message cannot become " + state);
        }
        db.transaction(() -> {
            counters(conversationId);
            StoredMessage message = findMessage(conversationId, messageId).orElseThrow(
                    () -> new IllegalArgumentException("No message " + messageId + " in conversation " + conversationId));
            if (message.direction() != Direction.OUTGOING) {
                throw new IllegalArgumentException("Message " + messageId + " is not ours: its state is not ours to set");
            }
            PreparedStatement update = db.statement("UPDATE message SET state = ?, pending = ? WHERE row_id = ?");
            update.setInt(1, Schema.code(state));
            update.setBoolean(2, pending(message.direction(), message.seq(), state));
            update.setLong(3, message.row());
            update.executeUpdate();
            return null;
        });
    }

    @Override
    public List<StoredMessage> acknowledge(String conversationId, long seq) {
        return db.transaction(() -> {
            counters(conversationId);
            PreparedStatement select = db.statement("SELECT " + MESSAGE + " FROM message m "
                    + "WHERE m.conversation_id = ? AND m.pending = TRUE AND m.seq <= ? ORDER BY m.seq");
            select.setString(1, conversationId);
            select.setLong(2, seq);
            List<StoredMessage> changed = new ArrayList<>();
            PreparedStatement update = db.statement("UPDATE message SET state = ?, pending = FALSE WHERE row_id = ?");
            for (StoredMessage m : HistoryConnection.all(select, rs -> message(rs, 1))) {
                update.setInt(1, Schema.code(DeliveryState.DELIVERED));
                update.setLong(2, m.row());
                update.executeUpdate();
                changed.add(new StoredMessage(m.row(), m.conversationId(), m.messageId(), m.direction(), m.seq(),
                        m.sender(), m.text(), m.timestamp(), DeliveryState.DELIVERED));
            }
            return changed;
        });
    }

    @Override
    public List<StoredMessage> continueNumberingAfter(String conversationId, long seq) {
        return db.transaction(() -> {
            Counters counters = counters(conversationId);
            if (seq <= counters.lastOutSeq()) {
                return List.of();
            }
            PreparedStatement select = db.statement("SELECT " + MESSAGE + " FROM message m "
                    + "WHERE m.conversation_id = ? AND m.pending = TRUE ORDER BY m.seq");
            select.setString(1, conversationId);
            PreparedStatement renumber = db.statement("UPDATE message SET seq = ? WHERE row_id = ?");
            List<StoredMessage> renumbered = new ArrayList<>();
            long next = seq;
            for (StoredMessage m : HistoryConnection.all(select, rs -> message(rs, 1))) {
                next++;
                renumber.setLong(1, next);
                renumber.setLong(2, m.row());
                renumber.executeUpdate();
                renumbered.add(new StoredMessage(m.row(), m.conversationId(), m.messageId(), m.direction(), next,
                        m.sender(), m.text(), m.timestamp(), m.state()));
            }
            PreparedStatement update = db.statement("UPDATE conversation SET last_out_seq = ? WHERE id = ?");
            update.setLong(1, next);
            update.setString(2, conversationId);
            update.executeUpdate();
            return renumbered;
        });
    }

    @Override
    public List<StoredMessage> unacknowledged(String conversationId) {
        return db.transaction(() -> {
            counters(conversationId);
            PreparedStatement select = db.statement("SELECT " + MESSAGE + " FROM message m "
                    + "WHERE m.conversation_id = ? AND m.pending = TRUE ORDER BY m.seq");
            select.setString(1, conversationId);
            return HistoryConnection.all(select, rs -> message(rs, 1));
        });
    }

    @Override
    public Optional<StoredMessage> message(String conversationId, String messageId) {
        return db.transaction(() -> findMessage(conversationId, messageId));
    }

    private Optional<StoredMessage> findMessage(String conversationId, String messageId) throws SQLException {
        PreparedStatement select = db.statement(
                "SELECT " + MESSAGE + " FROM message m WHERE m.conversation_id = ? AND m.message_id = ?");
        select.setString(1, conversationId);
        select.setString(2, messageId);
        return HistoryConnection.one(select, rs -> message(rs, 1));
    }

    // ---- reading -------------------------------------------------------------------------------

    @Override
    public HistoryPage page(String conversationId, long beforeRow, int limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("A page holds at least one message: " + limit);
        }
        return db.transaction(() -> {
            counters(conversationId);
            PreparedStatement select = db.statement("SELECT " + MESSAGE + " FROM message m "
                    + "WHERE m.conversation_id = ? AND m.row_id < ? ORDER BY m.row_id DESC LIMIT ?");
            select.setString(1, conversationId);
            select.setLong(2, beforeRow);
            select.setInt(3, limit + 1);
            List<StoredMessage> newestFirst = HistoryConnection.all(select, rs -> message(rs, 1));
            boolean hasOlder = newestFirst.size() > limit;
            List<StoredMessage> messages = new ArrayList<>(newestFirst.subList(0, Math.min(limit, newestFirst.size())));
            Collections.reverse(messages);
            return new HistoryPage(messages, hasOlder);
        });
    }

    @Override
    public List<SearchHit> search(String text, int limit) {
        if (text == null || text.isEmpty() || limit <= 0) {
            return List.of();
        }
        String pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        return db.transaction(() -> {
            // Messages alone, newest first: H2 then walks the primary key backwards and stops at
            // the limit (a join with conversations would make it read and sort every match).
            PreparedStatement select = db.statement("SELECT " + MESSAGE + " FROM message m"
                    + " WHERE m.direction <> " + Schema.code(Direction.NOTICE) + " AND m.text ILIKE ? ESCAPE '\\'"
                    + " ORDER BY m.row_id DESC LIMIT ?");
            select.setString(1, pattern);
            select.setInt(2, limit);
            Map<String, ConversationRecord> conversations = new HashMap<>();
            List<SearchHit> hits = new ArrayList<>();
            for (StoredMessage m : HistoryConnection.all(select, rs -> message(rs, 1))) {
                ConversationRecord c = conversations.get(m.conversationId());
                if (c == null) {
                    c = find(m.conversationId()).orElseThrow(() -> unknown(m.conversationId()));
                    conversations.put(c.id(), c);
                }
                hits.add(new SearchHit(c, m));
            }
            return hits;
        });
    }

    @Override
    public void markRead(String conversationId) {
        db.transaction(() -> {
            PreparedStatement update = db.statement("UPDATE conversation SET unread = 0 WHERE id = ?");
            update.setString(1, conversationId);
            expectOne(update.executeUpdate(), conversationId);
            return null;
        });
    }

    @Override
    public String export(String conversationId) {
        return db.transaction(() -> {
            counters(conversationId);
            PreparedStatement select = db.statement(
                    "SELECT " + MESSAGE + " FROM message m WHERE m.conversation_id = ? ORDER BY m.row_id");
            select.setString(1, conversationId);
            StringBuilder text = new StringBuilder();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    TextExport.line(message(rs, 1), text);
                }
            }
            return text.toString();
        });
    }

    @Override
    public void close() {
        db.close();
    }

    @Override
    public String toString() {
        return db.toString();
    }

    // ---- plumbing ------------------------------------------------------------------------------

    /** A conversation's counters; {@link IllegalArgumentException} if there is no such conversation. */
    private record Counters(long lastOutSeq, long receivedSeq) {
    }

    private Counters counters(String conversationId) throws SQLException {
        PreparedStatement select = db.statement("SELECT last_out_seq, received_seq FROM conversation WHERE id = ?");
        select.setString(1, conversationId);
        return HistoryConnection.one(select, rs -> new Counters(rs.getLong(1), rs.getLong(2)))
                .orElseThrow(() -> unknown(conversationId));
    }

    private static void expectOne(int updated, String conversationId) {
        if (updated == 0) {
            throw unknown(conversationId);
        }
    }

    private static IllegalArgumentException unknown(String conversationId) {
        return new IllegalArgumentException("No conversation " + conversationId + " in the history");
    }

    private static void requireMessageId(String messageId) {
        if (messageId == null || messageId.isEmpty()) {
            throw new IllegalArgumentException("A message needs an id");
        }
    }

    private long nextRow() throws SQLException {
        try (ResultSet rs = db.statement("VALUES NEXT VALUE FOR row_number").executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static ConversationRecord conversation(ResultSet rs, int from) throws SQLException {
        return new ConversationRecord(rs.getString(from), Optional.ofNullable(rs.getString(from + 1)),
                rs.getString(from + 2), rs.getBoolean(from + 3), rs.getBoolean(from + 4), rs.getLong(from + 5));
    }

    private static StoredMessage message(ResultSet rs, int from) throws SQLException {
        return new StoredMessage(rs.getLong(from), rs.getString(from + 1), rs.getString(from + 2),
                Schema.direction(rs.getInt(from + 3)), rs.getLong(from + 4), rs.getString(from + 5),
                rs.getString(from + 6), rs.getLong(from + 7), Schema.state(rs.getInt(from + 8)));
    }
}
