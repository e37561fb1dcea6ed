package org.p2pchat.signaling.manual.internal;

import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;

import org.p2pchat.core.signaling.DescriptionJson;
import org.p2pchat.core.signaling.SignalingException;
import org.p2pchat.core.signaling.SignedDescription;

/**
 * The web app's form, {@code {"type":"offer","sdp":"v=0\r\n..."}}: the core's
 * {@link DescriptionJson} codec, plus what recognising a paste needs.
 */
final class BrowserJsonForm {

    private BrowserJsonForm() {
    }

    static String encode(SignedDescription signed) {
        return DescriptionJson.encode(signed);
    }

    static SignedDescription decode(String json) throws SignalingException {
        return DescriptionJson.decode(json);
    }

    static boolean isJson(String text) {
        return text.startsWith("{") || text.startsWith("[");
    }

    /** The value of {@code text} read as one JSON string, or {@code null} if it is not one. */
    static String stringValue(String text) {
        try {
            return JsonParser.parseString(text) instanceof JsonPrimitive p && p.isString() ? p.getAsString() : null;
        } catch (JsonParseException e) {
            return null;
        }
    }
}
