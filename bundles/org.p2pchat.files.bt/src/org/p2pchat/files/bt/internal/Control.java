package org.p2pchat.files.bt.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;

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
final class Control {

    static final String CHANNEL_LABEL = "p2pchat-files";
    /** Protocol version in hello; a peer with another major version is not talked to. */
    static final int VERSION = 2;
    /** A hostile peer must not make us buffer without limit; an offer of many huge files fits. */
    static final int MAX_MESSAGE_BYTES = 16 << 20;

    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

    /** One message; fields not used by its type stay null. */
    static final class Message {
        String t;
        Integer v;
        String id;
        String name;
        String nonce;
        String token;
        String proof;
        Boolean paused;
        String state;
        List<FileInfo> files;
        Long done;
        Integer index;
        String problem;
        String request;
        List<Endpoint> endpoints;
        String secret;

        Message() {
        }

        Message(String type) {
            this.t = type;
        }

        Message id(String transferId) {
            this.id = transferId;
            return this;
        }
    }

    /** A file in an offer; {@code torrent} is the base64 .torrent, absent for an empty file. */
    static final class FileInfo {
        String name;
        long size;
        String type;
        String torrent;
    }

    /** An address a {@link DirectListener} listens on: an IP literal and a port. */
    static final class Endpoint {
        String address;
        int port;
    }

    private Control() {
    }

    static byte[] encode(Message m) {
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
    static final class Reader {
        private final Consumer<Message> sink;
        private final byte[] header = new byte[4];
        private int headerFill;
        private ByteArrayOutputStream body;
        private int bodyLength;

        Reader(Consumer<Message> sink) {
            this.sink = sink;
        }

        /** @throws IOException if the peer sends something that is not our protocol */
        void accept(byte[] data) throws IOException {
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

        private static Message decode(String json) throws IOException {
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
    }
}
