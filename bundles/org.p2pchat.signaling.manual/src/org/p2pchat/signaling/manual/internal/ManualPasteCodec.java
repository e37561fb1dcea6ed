package org.p2pchat.signaling.manual.internal;

import java.util.Objects;
import java.util.regex.Pattern;

import org.p2pchat.core.SessionDescription;
import org.p2pchat.core.SessionDescription.Type;
import org.p2pchat.core.signaling.PasteCodec;
import org.p2pchat.core.signaling.SignalingException;
import org.p2pchat.core.signaling.SignedDescription;

/**
 * The manual exchange's text forms: the web app's JSON and our compact code, read forgiving what
 * mail and chat clients do to pasted text. Stateless, so one instance serves every caller.
 */
public final class ManualPasteCodec implements PasteCodec {

    /** The one instance; it holds no state. */
    public static final ManualPasteCodec INSTANCE = new ManualPasteCodec();

    /** Real descriptions are a few KiB; this refuses a mistaken paste of a whole file cheaply. */
    public static final int MAX_TEXT_CHARS = 128 * 1024;

    private static final String WHAT_TO_PASTE = "(it starts with " + CompactForm.PREFIX + " or with {\"type\":)";

    /**
     * CR and LF are never part of either form (JSON escapes them in strings): a mail client or a
     * pretty printer added them. U+2028 is left alone, as JSON.stringify leaves it raw in the SDP.
     */
    private static final Pattern LINE_BREAKS = Pattern.compile("[\\r\\n]");
    private static final Pattern FINGERPRINT = Pattern.compile("(?m)^a=fingerprint:\\S+ [0-9A-Fa-f:]+");

    /** Quotes someone might put around a pasted code, as opening and closing pairs. */
    private static final String[] QUOTE_PAIRS = { "''", "``", "\u201C\u201D", "\u2018\u2019", "\u201E\u201C", "\u00AB\u00BB" };

    private ManualPasteCodec() {
    }

    @Override
    public String encode(SignedDescription description, Form form) {
        Objects.requireNonNull(description, "description");
        return switch (form) {
            case BROWSER_JSON -> BrowserJsonForm.encode(description);
            case COMPACT -> CompactForm.encode(description);
        };
    }

    @Override
    public SignedDescription decode(String text, Type expected) throws SignalingException {
        Objects.requireNonNull(expected, "expected");
        String pasted = unwrap(text);
        SignedDescription description;
        if (CompactForm.isCompact(pasted)) {
            description = CompactForm.decode(pasted);
        } else if (BrowserJsonForm.isJson(pasted)) {
            description = BrowserJsonForm.decode(pasted);
        } else {
            throw new SignalingException("This text is not a connection description. Paste all of the text "
                    + "your peer sent " + WHAT_TO_PASTE + ".");
        }
        checked(description.description(), expected);
        return description;
    }

    /** The pasted text without line breaks, surrounding white space and quotes. */
    private static String unwrap(String text) throws SignalingException {
        if (text == null || text.isBlank()) {
            throw nothingPasted();
        }
        if (text.length() > MAX_TEXT_CHARS) {
            throw new SignalingException("The pasted text is longer than " + MAX_TEXT_CHARS / 1024 + " KiB, far "
                    + "more than a connection description (a few KiB). Paste only the text your peer sent.");
        }
        String s = LINE_BREAKS.matcher(text).replaceAll("").strip();
        // A few levels: the web app's rendezvous payload is a JSON string holding the description,
        // and a person may quote that once more.
        for (int level = 0; level < 3 && s.length() >= 2; level++) {
            String inner = withoutQuotes(s);
            if (inner == null) {
                break;
            }
            s = inner.strip();
        }
        if (s.isEmpty()) {
            throw nothingPasted();
        }
        return s;
    }

    private static SignalingException nothingPasted() {
        return new SignalingException("Nothing was pasted. Paste the text your peer sent you " + WHAT_TO_PASTE + ".");
    }

    /** {@code s} without one pair of surrounding quotes, or {@code null} if it has none. */
    private static String withoutQuotes(String s) {
        char open = s.charAt(0);
        char close = s.charAt(s.length() - 1);
        if (open == '"' && close == '"') {
            String value = BrowserJsonForm.stringValue(s);
            return value != null ? value : s.substring(1, s.length() - 1);
        }
        for (String pair : QUOTE_PAIRS) {
            if (open == pair.charAt(0) && close == pair.charAt(1)) {
                return s.substring(1, s.length() - 1);
            }
        }
        return null;
    }

    private static void checked(SessionDescription description, Type expected) throws SignalingException {
        if (description.type() != expected) {
            throw new SignalingException(expected == Type.OFFER
                    ? "This is an answer, but this step needs the offer from your peer. Ask your peer to start "
                            + "the connection and send you their offer."
                    : "This is an offer, but this step needs your peer's answer to the offer you sent. (If your "
                            + "peer sent an offer of their own, one of you has to answer instead.)");
        }
        String sdp = description.sdp();
        if (!sdp.startsWith("v=0\r\n") && !sdp.startsWith("v=0\n")) {
            throw new SignalingException("The description's SDP does not start with v=0, so it is not a WebRTC "
                    + "session description.");
        }
        if (!FINGERPRINT.matcher(sdp).find()) {
            throw new SignalingException("The description has no a=fingerprint line, so the connection would not "
                    + "be encrypted. It is refused.");
        }
    }
}
