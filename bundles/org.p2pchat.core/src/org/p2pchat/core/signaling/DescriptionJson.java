package org.p2pchat.core.signaling;

import java.util.Objects;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonPrimitive;

import org.p2pchat.core.SessionDescription;
import org.p2pchat.core.identity.IdentityProof;
import org.p2pchat.core.identity.PublicIdentity;
import org.p2pchat.core.internal.json.StrictJson;

/**
 * The web app's JSON form of a description, {@code JSON.stringify(pc.localDescription)}:
 * {@code {"type":"offer","sdp":"v=0\r\n..."}}, with our identity proof as the extra member
 * {@value #IDENTITY_MEMBER} that the web app ignores. The manual exchange's browser form and the
 * rendezvous services' offer and answer payloads are this text, so one codec serves both.
 * <p>
 * Written by hand rather than with Gson, because even with HTML escaping off Gson escapes U+2028
 * and U+2029 and leaves lone surrogates raw, where {@code JSON.stringify} does the opposite; the
 * text must be the browser's to the byte. Read with Gson as strict JSON, which is what the web app's
 * {@code JSON.parse} takes.
 */
public final class DescriptionJson {

    /** The member our clients add for the identity proof; the web app ignores unknown members. */
    public static final String IDENTITY_MEMBER = "p2pchatIdentity";

    private DescriptionJson() {
    }

    /** The browser's JSON for the description, with the proof member if it has a proof. */
    public static String encode(SignedDescription signed) {
        Objects.requireNonNull(signed, "signed");
        SessionDescription description = signed.description();
        StringBuilder out = new StringBuilder(description.sdp().length() + 256);
        out.append("{\"type\":");
        quote(description.type().wireName(), out);
        out.append(",\"sdp\":");
        quote(description.sdp(), out);
        if (signed.proof() != null) {
            IdentityProof proof = signed.proof();
            out.append(",\"" + IDENTITY_MEMBER + "\":{\"key\":");
            quote(proof.identity().key(), out);
            out.append(",\"nonce\":");
            quote(proof.nonce(), out);
            out.append(",\"signature\":");
            quote(proof.signature(), out);
            out.append('}');
        }
        return out.append('}').toString();
    }

    /**
     * Reads a description of either type, with its proof if it carries one. The proof is not
     * checked here: that is the identity service's job.
     *
     * @throws SignalingException saying what is wrong with the text
     */
    public static SignedDescription decode(String json) throws SignalingException {
        if (json == null || json.isBlank()) {
            throw new SignalingException("The description text is empty.");
        }
        JsonElement root;
        try {
            root = StrictJson.parse(json);
        } catch (JsonParseException e) {
            if (!json.stripTrailing().endsWith("}")) {
                throw new SignalingException("The description text is cut off: it ends before the closing }. "
                        + "Copy all of it again.", e);
            }
            throw new SignalingException("The description text is not valid JSON (" + reason(e) + "). Copy it "
                    + "again, unchanged.", e);
        }
        String type = root instanceof JsonObject o ? string(o, "type") : null;
        String sdp = root instanceof JsonObject o ? string(o, "sdp") : null;
        if (type == null || sdp == null) {
            throw new SignalingException("This is JSON, but not a connection description: that has a \"type\" "
                    + "and an \"sdp\".");
        }
        SessionDescription.Type known = SessionDescription.Type.fromWireName(type);
        if (known == null) {
            throw new SignalingException("A description of type '" + shortened(type) + "' cannot be used here: "
                    + "only an offer or an answer.");
        }
        return new SignedDescription(new SessionDescription(known, sdp), proof((JsonObject) root));
    }

    /**
     * Reads a description that must be of the {@code expected} type.
     *
     * @throws SignalingException saying what is wrong with the text, or that it is of the other type
     */
    public static SignedDescription decode(String json, SessionDescription.Type expected) throws SignalingException {
        Objects.requireNonNull(expected, "expected");
        SignedDescription signed = decode(json);
        if (signed.description().type() != expected) {
            throw new SignalingException("This is an " + signed.description().type().wireName() + ", but an "
                    + expected.wireName() + " is needed here.");
        }
        return signed;
    }

    /** ECMAScript's QuoteJSONString: escapes quote, backslash, control characters and lone surrogates. */
    private static void quote(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || isLoneSurrogate(s, i)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static boolean isLoneSurrogate(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 == s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
        }
        return Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(s.charAt(i - 1)));
    }

    private static IdentityProof proof(JsonObject root) throws SignalingException {
        if (!root.has(IDENTITY_MEMBER)) {
            return null;
        }
        JsonObject o = root.get(IDENTITY_MEMBER) instanceof JsonObject object ? object : new JsonObject();
        String key = string(o, "key");
        String nonce = string(o, "nonce");
        String signature = string(o, "signature");
        try {
            if (key == null || nonce == null || signature == null) {
                throw new IllegalArgumentException("incomplete");
            }
            return new IdentityProof(new PublicIdentity(key), nonce, signature);
        } catch (IllegalArgumentException e) {
            throw new SignalingException("The description's identity part is damaged. Copy the description again, "
                    + "unchanged.", e);
        }
    }

    private static String string(JsonObject o, String field) {
        return o.get(field) instanceof JsonPrimitive p && p.isString() ? p.getAsString() : null;
    }

    /** The parser's own words, without the exception class and the troubleshooting link it appends. */
    private static String reason(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return message.lines().findFirst().orElse(message);
    }

    private static String shortened(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }
}
