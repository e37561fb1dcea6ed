package org.p2pchat.cli.internal;

import java.util.List;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.p2pchat.core.ChatMessage;
import org.p2pchat.core.PeerSession;

/**
 * Files and the web app: it offers files as WebTorrent magnets we cannot join, and cannot take
 * ours. Its user would wait at 0 % for good, so they are told, in a plain chat line (the only
 * thing the web app shows from us).
 */
final class WebAppFiles {

    /** The type of the web app's file offer on the chat channel. */
    static final String OFFER_TYPE = "webtorrent-file";
    private static final String AUTOMATIC = "[automatic message from P2P Chat for the desktop] ";

    private WebAppFiles() {
    }

    /** Whether the session's peer runs the web app (its join notice names no client). */
    static boolean isWebApp(PeerSession session) {
        return "".equals(session.peerClient().getNow(null));
    }

    /** Tells the web app user who offered a file ({@code offerJson}) that it will not arrive. */
    static void tellTheirsCannotCome(PeerSession session, String ourName, String offerJson, EventPrinter print) {
        String file = fileName(offerJson);
        tell(session, ourName, "My app cannot receive files from the web app" + (file == null ? "" : ": \"" + file
                + "\" will not arrive") + ". Please send it another way.", print);
    }

    /** Tells the web app user that the files we tried to offer cannot be sent to them. */
    static void tellOursCannotGo(PeerSession session, String ourName, List<String> fileNames, EventPrinter print) {
        tell(session, ourName, "I tried to send you " + String.join(", ", fileNames.stream().map(n -> "\"" + n + "\"")
                .toList()) + ", but my app cannot send files to the web app.", print);
    }

    private static void tell(PeerSession session, String ourName, String text, EventPrinter print) {
        session.send(ChatMessage.create(ourName, AUTOMATIC + text)).whenComplete((ok, error) -> {
            if (error != null) {
                print.error("Could not tell your peer: " + ChatConsole.cause(error).getMessage());
            }
        });
    }

    private static String fileName(String offerJson) {
        try {
            JsonObject o = JsonParser.parseString(offerJson).getAsJsonObject();
            String name = o.get("fileName").getAsString();
            // A name from the peer: printable and short, as anything else it says that we echo.
            String clean = name.replaceAll("[\\p{Cc}\\p{Cf}]", "").strip();
            return clean.isEmpty() ? null : clean.length() > 120 ? clean.substring(0, 117) + "..." : clean;
        } catch (RuntimeException e) {
            return null;
        }
    }
}
