package org.p2pchat.history.internal;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

import org.p2pchat.history.Direction;
import org.p2pchat.history.StoredMessage;

/**
 * A conversation as plain text: one line per message, "[time] sender: text" in the local time
 * zone, a notice as "[time] * text"; the lines of a message of several lines after its first are
 * indented, so each message still starts its own line.
 */
final class TextExport {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private TextExport() {
    }

    static void line(StoredMessage message, StringBuilder out) {
        out.append('[').append(TIME.format(Instant.ofEpochMilli(message.timestamp()).atZone(ZoneId.systemDefault())))
                .append("] ");
        if (message.direction() == Direction.NOTICE) {
            out.append("* ");
        } else {
            out.append(message.sender()).append(": ");
        }
        out.append(message.text().replace("\r\n", "\n").replace('\r', '\n').replace("\n", "\n    ")).append('\n');
    }
}
