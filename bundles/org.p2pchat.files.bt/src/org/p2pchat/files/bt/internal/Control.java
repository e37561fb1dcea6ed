package org.p2pchat.files.bt.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;

import org.p2pchat.core.text.DisplayNames;

/**
 * The file-transfer control protocol: JSON messages on a data channel of their own
 * ({@value #CHANNEL_LABEL}), each sent as a 4-byte big-endian length and UTF-8 JSON, since a data
 * channel here is a byte stream. Each side sends on the channel it opened and reads the peer's.
 * <p>
 * Messages ({@code t}): {@code hello} (name, nonce), {@code offer} (id, files with name, size,
 * type and the .torrent, token), {@code offered} (the receiver has it), {@code accept},
 * {@code decline}, {@code attach} (after a reconnect, sent only on a
 * session whose peer proved the identity key the transfer was made with: id and proof = HMAC(token)
 * over the direction, both keys and both nonces of this session, so only the peer of that
 * transfer can make it and it counts on this session between these two only), {@code attached}
 * (state, and the sender's proof the other way round), {@code pause}, {@code resume}, {@code cancel}, {@code progress}
 * (done), {@code next} (index: the receiver moves to that file), {@code receipt}, {@code failed}
 * (problem), {@code direct-ask} (request: the receiver's Bt wants a connection; may it go
 * directly?) and {@code direct-offer} (request, and either endpoints and secret for a
 * {@link DirectLink}, or neither: use a data channel).
 */
public final class Control {

    private static final System.Logger LOG = System.getLogger(Control.class.getName());

    static final String CHANNEL_LABEL = "p2pchat-files";
    /** Protocol version in hello; a peer with another major version is not talked to. */
    static final int VERSION = 2;
    /** A hostile peer must not make us buffer without limit; an offer of many huge files fits. */
    public static final int MAX_MESSAGE_BYTES = 16 << 20;

    static final int MAX_NAME_CHARS = 100;

    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

    /** One message; fields not used by its type stay null. */
    public static final class Message {
        public String t;
        public Integer v;
        public String id;
        public String name;
        public String nonce;
        public String token;
        public String proof;
        public Boolean paused;
        public String state;
        public List<FileInfo> files;
        public Long done;
        public Integer index;
        public String problem;
        public String request;
        public List<Endpoint> endpoints;
        public String secret;

        public Message() {
        }

        public Message(String type) {
            this.t = type;
        }

        public Message id(String transferId) {
            this.id = transferId;
            return this;
        }
    }

    /** A file in an offer; {@code torrent} is the base64 .torrent, absent for an empty file. */
    public static final class FileInfo {
        public String name;
        public long size;
        public String type;
        public String torrent;
    }

    /** An address a {@link DirectListener} listens on: an IP literal and a port. */
    public static final class Endpoint {
        public String address;
        public int port;
    }

    private Control() {
    }

    public static byte[] encode(Message m) {
        byte[] json = GSON.toJson(m).getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[4 + json.length];
        out[0] = (byte) (json.length >>> 24);
        out[1] = (byte) (json.length >>> 16);
        out[2] = (byte) (json.length >>> 8);
        out[3] = (byte) json.length;
        System.arraycopy(json, 0, out, 4, json.length);
        return out;
    }

    /** Splits a received byte stream into messages; not thread-safe (one channel, one thread). */
    public static final class Reader {
        private final Consumer<Message> sink;
        private final byte[] header = new byte[4];
        private int headerFill;
        private ByteArrayOutputStream body;
        private int bodyLength;

        public Reader(Consumer<Message> sink) {
            this.sink = sink;
        }

        /** @throws IOException if the peer sends something that is not our protocol */
        public void accept(byte[] data) throws IOException {
            int pos = 0;
            while (pos < data.length) {
                if (body == null) {
                    int n = Math.min(4 - headerFill, data.length - pos);
                    System.arraycopy(data, pos, header, headerFill, n);
                    headerFill += n;
                    pos += n;
                    if (headerFill == 4) {
                        bodyLength = ((header[0] & 0xff) << 24) | ((header[1] & 0xff) << 16)
                                | ((header[2] & 0xff) << 8) | (header[3] & 0xff);
                        if (bodyLength <= 0 || bodyLength > MAX_MESSAGE_BYTES) {
                            throw new IOException("control message of " + bodyLength + " bytes");
                        }
                        body = new ByteArrayOutputStream(Math.min(bodyLength, 64 * 1024));
                        headerFill = 0;
                    }
                } else {
                    int n = Math.min(bodyLength - body.size(), data.length - pos);
                    body.write(data, pos, n);
                    pos += n;
                    if (body.size() == bodyLength) {
                        String json = body.toString(StandardCharsets.UTF_8);
                        body = null;
                        sink.accept(decode(json));
                    }
                }
            }
        }
    }

    /** One message from its JSON text, as the peer sent it. */
    public static Message decode(String json) throws IOException {
        try {
            Message m = GSON.fromJson(json, Message.class);
            if (m == null || m.t == null) {
                throw new IOException("control message without a type");
            }
            return m;
        } catch (JsonParseException e) {
            throw new IOException("malformed control message: " + e.getMessage(), e);
        }
    }

    /** A message as JSON (tests, traces). */
    public static String toJson(Message m) {
        return GSON.toJson(m);
    }

    private static final boolean TRACE = Boolean.getBoolean("p2pchat.files.trace");

    /** With -Dp2pchat.files.trace=true: the control messages, for finding out what went wrong. */
    static void trace(Object session, String what) {
        if (TRACE) {
            LOG.log(System.Logger.Level.INFO, "[files " + Integer.toHexString(System.identityHashCode(session)) + "] " + what);
        }
    }

    /** A name the peer gave itself, as shown: cleaned like every display name; null if none is left. */
    static String peerName(String s) {
        String name = DisplayNames.clean(s, MAX_NAME_CHARS);
        return name.isEmpty() ? null : name;
    }

    /** Text from the peer is shown to the user: bounded, one line, no control characters. */
    static String clip(String s) {
        if (s == null) {
            return null;
        }
        String clean = s.codePoints().filter(cp -> !Character.isISOControl(cp)
                && Character.getType(cp) != Character.FORMAT)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return clean.length() > 300 ? clean.substring(0, 300) + "..." : clean;
    }
}
