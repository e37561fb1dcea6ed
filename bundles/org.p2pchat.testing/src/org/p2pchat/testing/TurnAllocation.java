package org.p2pchat.testing;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A TURN Allocate (RFC 5766) made by hand over UDP or TCP with long-term credentials (coturn's
 * {@code lt-cred-mech} and its time-limited {@code use-auth-secret} both check these): the
 * unauthenticated request, the server's 401 with realm and nonce, then the request again with
 * USERNAME, REALM, NONCE and MESSAGE-INTEGRITY. Tells apart an allocation, a refusal (the error
 * code and reason the server gave) and no answer, which a WebRTC gathering cannot.
 */
public final class TurnAllocation {

    private static final int MAGIC_COOKIE = 0x2112A442;
    private static final int ALLOCATE = 0x0003;
    private static final int ALLOCATE_SUCCESS = 0x0103;
    private static final int ALLOCATE_ERROR = 0x0113;
    private static final int USERNAME = 0x0006;
    private static final int MESSAGE_INTEGRITY = 0x0008;
    private static final int ERROR_CODE = 0x0009;
    private static final int REALM = 0x0014;
    private static final int NONCE = 0x0015;
    private static final int XOR_RELAYED_ADDRESS = 0x0016;
    private static final int REQUESTED_TRANSPORT = 0x0019;
    private static final int UDP_PROTOCOL = 17;
    private static final int TIMEOUT_MS = 5000;
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * What the server answered.
     *
     * @param relayed   the relayed transport address of a successful allocation; null otherwise
     * @param errorCode the STUN error code of a refusal (401 unauthorized, 403 forbidden, ...); 0 on success
     * @param reason    the refusal's reason phrase; empty on success
     */
    public record Result(InetSocketAddress relayed, int errorCode, String reason) {
        public boolean allocated() {
            return relayed != null;
        }

        @Override
        public String toString() {
            return allocated() ? "allocated " + relayed : "refused " + errorCode + " " + reason;
        }
    }

    private TurnAllocation() {
    }

    /**
     * Allocates a relayed UDP address on the TURN server at {@code host:port}, reaching it over
     * TCP if {@code tcp}, else UDP.
     *
     * @throws IOException if the server does not answer (within 5 s per request) or answers nonsense
     */
    public static Result allocate(String host, int port, boolean tcp, String username, String password)
            throws IOException {
        InetSocketAddress server = new InetSocketAddress(InetAddress.getByName(host), port);
        try (Channel channel = tcp ? new TcpChannel(server) : new UdpChannel(server)) {
            Message first = channel.exchange(request(null, null, null, null));
            if (first.type == ALLOCATE_SUCCESS) {
                return new Result(first.relayed(), 0, "");
            }
            if (first.errorCode() != 401 || first.attribute(REALM) == null || first.attribute(NONCE) == null) {
                return new Result(null, first.errorCode(), first.reason());
            }
            String realm = new String(first.attribute(REALM), StandardCharsets.UTF_8);
            Message second = channel.exchange(request(username, realm, first.attribute(NONCE),
                    longTermKey(username, realm, password)));
            if (second.type == ALLOCATE_SUCCESS) {
                return new Result(second.relayed(), 0, "");
            }
            return new Result(null, second.errorCode(), second.reason());
        }
    }

    /** An Allocate request for a UDP relay; with MESSAGE-INTEGRITY when {@code key} is given. */
    private static byte[] request(String username, String realm, byte[] nonce, byte[] key) {
        ByteBuffer attributes = ByteBuffer.allocate(1024);
        attribute(attributes, REQUESTED_TRANSPORT, new byte[] { UDP_PROTOCOL, 0, 0, 0 });
        if (key != null) {
            attribute(attributes, USERNAME, username.getBytes(StandardCharsets.UTF_8));
            attribute(attributes, REALM, realm.getBytes(StandardCharsets.UTF_8));
            attribute(attributes, NONCE, nonce);
        }
        byte[] transaction = new byte[12];
        RANDOM.nextBytes(transaction);
        int length = attributes.position() + (key == null ? 0 : 24);
        ByteBuffer message = ByteBuffer.allocate(20 + length);
        message.putShort((short) ALLOCATE).putShort((short) length).putInt(MAGIC_COOKIE).put(transaction);
        message.put(attributes.array(), 0, attributes.position());
        if (key != null) {
            // The HMAC covers the message up to the attribute, with the length already counting it.
            byte[] integrity = hmacSha1(key, Arrays.copyOf(message.array(), message.position()));
            message.putShort((short) MESSAGE_INTEGRITY).putShort((short) 20).put(integrity);
        }
        return message.array();
    }

    private static void attribute(ByteBuffer out, int type, byte[] value) {
        out.putShort((short) type).putShort((short) value.length).put(value);
        while (out.position() % 4 != 0) {
            out.put((byte) 0);
        }
    }

    private static byte[] longTermKey(String username, String realm, String password) {
        try {
            return MessageDigest.getInstance("MD5").digest((username + ":" + realm + ":" + password)
                    .getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmacSha1(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A parsed answer: its type and attributes. */
    private record Message(int type, byte[] raw) {
        static Message parse(byte[] raw, int length) throws IOException {
            if (length < 20 || ByteBuffer.wrap(raw, 4, 4).getInt() != MAGIC_COOKIE) {
                throw new IOException("not a STUN message (" + length + " bytes)");
            }
            int type = ByteBuffer.wrap(raw, 0, 2).getShort() & 0xffff;
            if (type != ALLOCATE_SUCCESS && type != ALLOCATE_ERROR) {
                throw new IOException("not an answer to Allocate: type 0x" + Integer.toHexString(type));
            }
            return new Message(type, Arrays.copyOf(raw, length));
        }

        byte[] attribute(int wanted) {
            ByteBuffer in = ByteBuffer.wrap(raw);
            int end = 20 + (in.getShort(2) & 0xffff);
            int at = 20;
            while (at + 4 <= Math.min(end, raw.length)) {
                int type = in.getShort(at) & 0xffff;
                int length = in.getShort(at + 2) & 0xffff;
                if (at + 4 + length > raw.length) {
                    return null;
                }
                if (type == wanted) {
                    return Arrays.copyOfRange(raw, at + 4, at + 4 + length);
                }
                at += 4 + (length + 3) / 4 * 4;
            }
            return null;
        }

        int errorCode() {
            byte[] value = attribute(ERROR_CODE);
            return value == null || value.length < 4 ? 0 : (value[2] & 0x7) * 100 + (value[3] & 0xff);
        }

        String reason() {
            byte[] value = attribute(ERROR_CODE);
            return value == null || value.length < 4 ? "" : new String(value, 4, value.length - 4, StandardCharsets.UTF_8);
        }

        InetSocketAddress relayed() throws IOException {
            byte[] value = attribute(XOR_RELAYED_ADDRESS);
            if (value == null || value.length < 8 || value[1] != 1) {
                throw new IOException("a successful Allocate without an IPv4 XOR-RELAYED-ADDRESS");
            }
            ByteBuffer in = ByteBuffer.wrap(value);
            int port = (in.getShort(2) & 0xffff) ^ (MAGIC_COOKIE >>> 16);
            int address = in.getInt(4) ^ MAGIC_COOKIE;
            return new InetSocketAddress(InetAddress.getByAddress(ByteBuffer.allocate(4).putInt(address).array()),
                    port);
        }
    }

    private interface Channel extends AutoCloseable {
        Message exchange(byte[] request) throws IOException;

        @Override
        void close() throws IOException;
    }

    private static final class UdpChannel implements Channel {
        private final DatagramSocket socket = new DatagramSocket();
        private final InetSocketAddress server;

        UdpChannel(InetSocketAddress server) throws IOException {
            this.server = server;
            socket.setSoTimeout(TIMEOUT_MS / 5);
        }

        @Override
        public Message exchange(byte[] request) throws IOException {
            byte[] buffer = new byte[2048];
            // UDP may lose the request or the answer: send again a few times, as STUN clients do.
            for (int attempt = 0; attempt < 5; attempt++) {
                socket.send(new DatagramPacket(request, request.length, server));
                DatagramPacket answer = new DatagramPacket(buffer, buffer.length);
                try {
                    socket.receive(answer);
                    if (Arrays.equals(buffer, 8, 20, request, 8, 20)) {
                        return Message.parse(buffer, answer.getLength());
                    }
                } catch (SocketTimeoutException again) {
                    // next attempt
                }
            }
            throw new IOException("no answer from " + server + " over UDP within " + TIMEOUT_MS + " ms");
        }

        @Override
        public void close() {
            socket.close();
        }
    }

    private static final class TcpChannel implements Channel {
        private final Socket socket = new Socket();
        private final InetSocketAddress server;

        TcpChannel(InetSocketAddress server) throws IOException {
            this.server = server;
            socket.connect(server, TIMEOUT_MS);
            socket.setSoTimeout(TIMEOUT_MS);
        }

        @Override
        public Message exchange(byte[] request) throws IOException {
            OutputStream out = socket.getOutputStream();
            out.write(request);
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] header = new DataInputStream(in).readNBytes(20);
            if (header.length < 20) {
                throw new IOException(server + " closed the TCP connection without answering");
            }
            int length = ByteBuffer.wrap(header, 2, 2).getShort() & 0xffff;
            byte[] raw = Arrays.copyOf(header, 20 + length);
            if (in.readNBytes(raw, 20, length) < length) {
                throw new IOException(server + " closed the TCP connection in the middle of an answer");
            }
            return Message.parse(raw, raw.length);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
