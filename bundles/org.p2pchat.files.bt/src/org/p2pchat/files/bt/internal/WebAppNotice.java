package org.p2pchat.files.bt.internal;

import java.util.List;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.p2pchat.core.ChatMessage;
import org.p2pchat.core.PeerSession;

/**
 * Files and the web app: it offers files as WebTorrent magnets we cannot join, and cannot take
 * ours. Its user would wait at 0 % for good, so they are told in a plain chat line, the only
 * thing of ours the web app shows.
 */
final class WebAppNotice {

    /** The type of the web app's file offer on the chat channel. */
    static final String FILE_OFFER_TYPE = "webtorrent-file";
    private static final String AUTOMATIC = "[automatic message from P2P Chat for the desktop] ";

    private WebAppNotice() {
    }

    /** Whether the session's peer runs the web app: its join notice named no client. */
    static boolean isWebApp(PeerSession session) {
        return "".equals(session.peerClient().exceptionally(closedFirst -> null).getNow(null));
    }

    /** Tells the web app user who offered a file ({@code offerJson}) that it will not arrive. */
    static void theirFileCannotCome(PeerSession session, String ourName, String offerJson) {
        String file = fileName(offerJson);
        tell(session, ourName, "My app cannot receive files from the web app" + (file == null ? ""
                : ": \"" + file + "\" will not arrive") + ". Please send it another way.");
    }

    /** Tells the web app user that the files we tried to offer cannot be sent to them. */
    static void ourFilesCannotGo(PeerSession session, String ourName, List<String> fileNames) {
        tell(session, ourName, "I tried to send you " + String.join(", ", fileNames.stream().map(n -> "\"" + n + "\"")
                .toList()) + ", but my app cannot send files to the web app.");
    }

    private static void tell(PeerSession session, String ourName, String text) {
        // Fire and forget: a session that is gone has no one to tell.
        session.send(ChatMessage.create(ourName, AUTOMATIC + text));
    }

    /** The offered name as a file name of ours would be (no controls, no direction overrides), or null. */
    private static String fileName(String offerJson) {
        try {
            JsonObject o = JsonParser.parseString(offerJson).getAsJsonObject();
            String name = FileNames.sanitize(o.get("fileName").getAsString());
            return name == null || name.isBlank() ? null : name;
        } catch (RuntimeException e) {
            return null;
        }
    }
}
