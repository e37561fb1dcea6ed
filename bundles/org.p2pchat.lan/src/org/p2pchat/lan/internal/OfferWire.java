package org.p2pchat.lan.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import org.p2pchat.core.SessionDescription;
import org.p2pchat.core.identity.PublicIdentity;
import org.p2pchat.core.signaling.DescriptionJson;
import org.p2pchat.core.signaling.SignalingException;
import org.p2pchat.core.signaling.SignedDescription;
import org.p2pchat.core.text.DisplayNames;

import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

/**
 * The exchange over TCP to an announced address: the requester sends one line, its offer; the
 * peer replies with one line, its answer or a refusal, and closes. Each line is a JSON object of
 * at most {@value #MAX_LINE_BYTES} bytes; descriptions are in {@link DescriptionJson}'s form with
 * their proofs, which the client layer checks.
 *
 * @param type        {@code offer}, {@code answer} or {@code reject}
 * @param from        the sender's identity (none in a refusal)
 * @param name        the sender's name, cleaned
 * @param reconnect   for an offer: whether it re-establishes a lost connection
 * @param description the offer or answer; {@code null} in a refusal
 * @param reason      for a refusal: why, may be empty
 */
record OfferWire(String type, PublicIdentity from, String name, boolean reconnect, SignedDescription description,
        String reason) {

    static final int MAX_LINE_BYTES = 64 * 1024;

    static OfferWire offer(PublicIdentity from, String name, SignedDescription offer, boolean reconnect) {
        return new OfferWire("offer", from, name, reconnect, offer, "");
    }

    static OfferWire answer(PublicIdentity from, String name, SignedDescription answer) {
        return new OfferWire("answer", from, name, false, answer, "");
    }

    static OfferWire reject(String reason) {
        return new OfferWire("reject", null, "", false, null, reason == null ? "" : reason);
    }

    void write(OutputStream out) throws IOException {
        JsonObject o = new JsonObject();
        o.addProperty("type", type);
        if (from != null) {
            o.addProperty("from", from.key());
            o.addProperty("name", name);
        }
        if (description != null) {
            o.addProperty("description", DescriptionJson.encode(description));
        }
        if (type.equals("offer")) {
            o.addProperty("reconnect", reconnect);
        }
        if (!reason.isEmpty()) {
            o.addProperty("reason", reason);
        }
        out.write((o + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /**
     * Reads one line and checks it is a {@code expected} (or a refusal, where an answer is expected).
     *
     * @throws SignalingException saying what is wrong with it
     * @throws IOException        when the line does not arrive whole
     */
    static OfferWire read(InputStream in, String expected) throws IOException, SignalingException {
        String line = readLine(in);
        try {
            JsonObject o = JsonParser.parseString(line).getAsJsonObject();
            String type = o.get("type").getAsString();
            if (type.equals("reject") && expected.equals("answer")) {
                return reject(DisplayNames.clean(o.has("reason") ? o.get("reason").getAsString() : "", 300));
            }
            if (!type.equals(expected)) {
                throw new SignalingException("Expected an " + expected + " but got '" + DisplayNames.clean(type, 20) + "'.");
            }
            SessionDescription.Type kind = expected.equals("offer") ? SessionDescription.Type.OFFER
                    : SessionDescription.Type.ANSWER;
            return new OfferWire(type, new PublicIdentity(o.get("from").getAsString()),
                    DisplayNames.clean(o.has("name") ? o.get("name").getAsString() : "", Announcement.MAX_NAME_CODE_POINTS),
                    o.has("reconnect") && o.get("reconnect").getAsBoolean(),
                    DescriptionJson.decode(o.get("description").getAsString(), kind), "");
        } catch (JsonParseException | IllegalStateException | IllegalArgumentException | UnsupportedOperationException
                | NullPointerException e) {
            throw new SignalingException("A malformed " + expected + " (" + e.getClass().getSimpleName() + ").", e);
        }
    }

    /** One line of UTF-8, without its line break; refuses a longer one than {@link #MAX_LINE_BYTES}. */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("the connection closed before a whole line came");
            }
            if (line.size() >= MAX_LINE_BYTES) {
                throw new IOException("a line of more than " + MAX_LINE_BYTES + " bytes");
            }
            line.write(b);
        }
        return line.toString(StandardCharsets.UTF_8);
    }
}
