package org.p2pchat.history.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import org.p2pchat.history.DeliveryState;
import org.p2pchat.history.Direction;

/**
 * The history's tables, and how enums are stored (fixed codes, so reordering an enum changes
 * nothing on disk).
 * <ul>
 * <li>{@code conversation}: one row per conversation, with counters kept in the same transaction as
 * the messages so the list of conversations reads no messages but the newest of each: the row of its
 * newest message ({@code last_row}), its place in the list ({@code activity}), the last sequence
 * numbers out and in, the unread count.</li>
 * <li>{@code message}: one row per line; {@code row_id} comes from one sequence shared with
 * conversations' activity, so it increases in the order stored. {@code pending} marks our sequenced
 * messages not acknowledged yet, so acknowledgements and resends read only those.</li>
 * </ul>
 */
final class Schema {

    static final int VERSION = 1;

    private Schema() {
    }

    static void create(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS history_meta(name VARCHAR(40) PRIMARY KEY, val VARCHAR(200) NOT NULL)");
            s.execute("MERGE INTO history_meta KEY(name) VALUES ('schema', '" + VERSION + "')");
            s.execute("CREATE SEQUENCE IF NOT EXISTS row_number START WITH 1");
            s.execute("""
                    CREATE TABLE IF NOT EXISTS conversation(
                      id VARCHAR(32) PRIMARY KEY,
                      peer_key VARCHAR(400) UNIQUE,
                      peer_name VARCHAR(2000) NOT NULL,
                      verified BOOLEAN NOT NULL,
                      best_effort BOOLEAN NOT NULL,
                      created BIGINT NOT NULL,
                      activity BIGINT NOT NULL,
                      last_row BIGINT,
                      last_out_seq BIGINT NOT NULL,
                      received_seq BIGINT NOT NULL,
                      unread INT NOT NULL)""");
            s.execute("CREATE INDEX IF NOT EXISTS conversation_by_activity ON conversation(activity DESC)");
            s.execute("""
                    CREATE TABLE IF NOT EXISTS message(
                      row_id BIGINT PRIMARY KEY,
                      conversation_id VARCHAR(32) NOT NULL,
                      message_id VARCHAR(400) NOT NULL,
                      direction TINYINT NOT NULL,
                      seq BIGINT NOT NULL,
                      sender VARCHAR(2000) NOT NULL,
                      text CHARACTER VARYING NOT NULL,
                      sent_at BIGINT NOT NULL,
                      state TINYINT NOT NULL,
                      pending BOOLEAN NOT NULL)""");
            s.execute("CREATE UNIQUE INDEX IF NOT EXISTS message_id_in_conversation ON message(conversation_id, message_id)");
            s.execute("CREATE INDEX IF NOT EXISTS message_by_conversation ON message(conversation_id, row_id DESC)");
            s.execute("CREATE INDEX IF NOT EXISTS message_pending ON message(conversation_id, pending, seq)");
        }
        connection.commit();
    }

    static int code(Direction direction) {
        return switch (direction) {
            case OUTGOING -> 1;
            case INCOMING -> 2;
            case NOTICE -> 3;
        };
    }

    static Direction direction(int code) {
        return switch (code) {
            case 1 -> Direction.OUTGOING;
            case 2 -> Direction.INCOMING;
            case 3 -> Direction.NOTICE;
            default -> throw new IllegalStateException("The history holds an unknown direction " + code);
        };
    }

    static int code(DeliveryState state) {
        return switch (state) {
            case SENDING -> 1;
            case SENT -> 2;
            case DELIVERED -> 3;
            case NOT_DELIVERED -> 4;
            case RECEIVED -> 5;
        };
    }

    static DeliveryState state(int code) {
        return switch (code) {
            case 1 -> DeliveryState.SENDING;
            case 2 -> DeliveryState.SENT;
            case 3 -> DeliveryState.DELIVERED;
            case 4 -> DeliveryState.NOT_DELIVERED;
            case 5 -> DeliveryState.RECEIVED;
            default -> throw new IllegalStateException("The history holds an unknown delivery state " + code);
        };
    }
}
