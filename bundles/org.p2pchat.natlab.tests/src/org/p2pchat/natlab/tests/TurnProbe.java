package org.p2pchat.natlab.tests;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A TURN client of a peer (RFC 5766 over UDP, long-term credentials), run as a program of its own
 * inside a host of the NAT lab: allocates a relay, then asks for a permission and a channel to
 * each peer address on the command line, and prints one line per answer:
 * {@code ALLOCATED ip:port}, {@code PERMISSION ip:port CODE reason}, {@code CHANNEL ip:port CODE reason}
 * (CODE 200 for success). A public TURN server must answer 403 for addresses it may not relay to.
 *
 * <pre>java -cp CLASSES org.p2pchat.natlab.tests.TurnProbe SERVER PORT USER PASSWORD PEER:PORT...</pre>
 */
public final class TurnProbe {

    private static final int MAGIC = 0x2112A442;
    private static final int ALLOCATE = 0x0003;
    private static final int CREATE_PERMISSION = 0x0008;
    private static final int CHANNEL_BIND = 0x0009;
    private static final int USERNAME = 0x0006;
    private static final int MESSAGE_INTEGRITY = 0x0008;
    private static final int ERROR_CODE = 0x0009;
    private static final int CHANNEL_NUMBER = 0x000C;
    private static final int XOR_PEER_ADDRESS = 0x0012;
    private static final int REALM = 0x0014;
    private static final int NONCE = 0x0015;
    private static final int XOR_RELAYED_ADDRESS = 0x0016;
    private static final int REQUESTED_TRANSPORT = 0x0019;

    private final DatagramSocket socket;
    private final InetSocketAddress server;
    private final String user;
    private final String password;
    private final SecureRandom random = new SecureRandom();
    private String realm = "";
    private String nonce = "";

    private TurnProbe(DatagramSocket socket, InetSocketAddress server, String user, String password) {
        this.socket = socket;
        this.server = server;
        this.user = user;
        this.password = password;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println("usage: TurnProbe SERVER PORT USER PASSWORD PEER:PORT...");
            System.exit(2);
        }
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout(1000);
            TurnProbe probe = new TurnProbe(socket, new InetSocketAddress(args[0], Integer.parseInt(args[1])), args[2],
                    args[3]);
            Answer allocated = probe.request(ALLOCATE, Map.of(REQUESTED_TRANSPORT, new byte[] {17, 0, 0, 0}));
            if (allocated.code != 200) {
                System.out.println("ALLOCATE-FAILED " + allocated.code + " " + allocated.reason);
                return; // an answer too: the caller asked whether these credentials allocate
            }
            System.out.println("ALLOCATED " + xorAddress(allocated.attributes.get(XOR_RELAYED_ADDRESS)));
            int channel = 0x4000;
            for (int i = 4; i < args.length; i++) {
                int colon = args[i].lastIndexOf(':');
                InetSocketAddress peer = new InetSocketAddress(InetAddress.getByName(args[i].substring(0, colon)),
                        Integer.parseInt(args[i].substring(colon + 1)));
                byte[] xorPeer = xorAddress(peer);
                Answer permission = probe.request(CREATE_PERMISSION, Map.of(XOR_PEER_ADDRESS, xorPeer));
                System.out.println("PERMISSION " + args[i] + " " + permission.code + " " + permission.reason);
                Map<Integer, byte[]> bind = new LinkedHashMap<>();
                bind.put(CHANNEL_NUMBER, new byte[] {(byte) (channel >> 8), (byte) channel, 0, 0});
                bind.put(XOR_PEER_ADDRESS, xorPeer);
                channel++;
                Answer bound = probe.request(CHANNEL_BIND, bind);
                System.out.println("CHANNEL " + args[i] + " " + bound.code + " " + bound.reason);
            }
        }
    }

    private record Answer(int code, String reason, Map<Integer, byte[]> attributes) {
    }

    /** Sends a request (authenticated once the server named its realm and nonce), retrying on 401/438 once. */
    private Answer request(int method, Map<Integer, byte[]> attributes) throws IOException, GeneralSecurityException {
        Answer answer = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            answer = transact(method, attributes);
            if (answer.code == 401 || answer.code == 438) {
                byte[] r = answer.attributes.get(REALM);
                byte[] n = answer.attributes.get(NONCE);
                if (r != null && n != null && (!realm.equals(text(r)) || !nonce.equals(text(n)))) {
                    realm = text(r);
                    nonce = text(n);
                    continue;
                }
            }
            return answer;
        }
        return answer;
    }

    private Answer transact(int method, Map<Integer, byte[]> attributes) throws IOException, GeneralSecurityException {
        byte[] id = new byte[12];
        random.nextBytes(id);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        attributes.forEach((type, value) -> attribute(body, type, value));
        if (!nonce.isEmpty()) {
            attribute(body, USERNAME, user.getBytes(StandardCharsets.UTF_8));
            attribute(body, REALM, realm.getBytes(StandardCharsets.UTF_8));
            attribute(body, NONCE, nonce.getBytes(StandardCharsets.UTF_8));
            // MESSAGE-INTEGRITY covers the header with a length that already counts it.
            byte[] covered = message(method, id, body.toByteArray(), 24);
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(MessageDigest.getInstance("MD5").digest(
                    (user + ":" + realm + ":" + password).getBytes(StandardCharsets.UTF_8)), "HmacSHA1"));
            attribute(body, MESSAGE_INTEGRITY, mac.doFinal(covered));
        }
        byte[] request = message(method, id, body.toByteArray(), 0);
        byte[] buffer = new byte[2048];
        for (int tries = 0; tries < 5; tries++) {
            socket.send(new DatagramPacket(request, request.length, server));
            long deadline = System.nanoTime() + 1_000_000_000L;
            while (System.nanoTime() < deadline) {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                try {
                    socket.receive(packet);
                } catch (SocketTimeoutException e) {
                    break;
                }
                ByteBuffer in = ByteBuffer.wrap(packet.getData(), 0, packet.getLength());
                if (packet.getLength() < 20 || in.getInt(4) != MAGIC
                        || !Arrays.equals(Arrays.copyOfRange(packet.getData(), 8, 20), id)) {
                    continue; // not the answer to this request
                }
                return parse(in);
            }
        }
        return new Answer(0, "no answer", Map.of());
    }

    private static Answer parse(ByteBuffer in) {
        int type = in.getShort(0) & 0xFFFF;
        int length = in.getShort(2) & 0xFFFF;
        Map<Integer, byte[]> attributes = new LinkedHashMap<>();
        int at = 20;
        while (at + 4 <= 20 + length && at + 4 <= in.limit()) {
            int t = in.getShort(at) & 0xFFFF;
            int l = in.getShort(at + 2) & 0xFFFF;
            byte[] value = new byte[Math.min(l, in.limit() - at - 4)];
            in.get(at + 4, value);
            attributes.putIfAbsent(t, value);
            at += 4 + ((l + 3) & ~3);
        }
        boolean error = (type & 0x0110) == 0x0110;
        if (!error) {
            return new Answer(200, "OK", attributes);
        }
        byte[] e = attributes.getOrDefault(ERROR_CODE, new byte[4]);
        int code = (e[2] & 0x7) * 100 + (e[3] & 0xFF);
        return new Answer(code, new String(e, 4, e.length - 4, StandardCharsets.UTF_8).strip(), attributes);
    }

    private static byte[] message(int method, byte[] id, byte[] body, int extraLength) {
        ByteBuffer out = ByteBuffer.allocate(20 + body.length);
        out.putShort((short) method).putShort((short) (body.length + extraLength)).putInt(MAGIC).put(id).put(body);
        return out.array();
    }

    private static void attribute(ByteArrayOutputStream out, int type, byte[] value) {
        out.write(type >> 8);
        out.write(type);
        out.write(value.length >> 8);
        out.write(value.length);
        out.writeBytes(value);
        out.writeBytes(new byte[(4 - value.length % 4) % 4]);
    }

    private static byte[] xorAddress(InetSocketAddress address) {
        byte[] ip = address.getAddress().getAddress();
        if (ip.length != 4) {
            throw new IllegalArgumentException("IPv4 only: " + address);
        }
        ByteBuffer out = ByteBuffer.allocate(8);
        out.put((byte) 0).put((byte) 1).putShort((short) (address.getPort() ^ (MAGIC >>> 16)))
                .putInt(ByteBuffer.wrap(ip).getInt() ^ MAGIC);
        return out.array();
    }

    private static String xorAddress(byte[] value) {
        if (value == null || value.length < 8) {
            return "?";
        }
        ByteBuffer in = ByteBuffer.wrap(value);
        int port = (in.getShort(2) & 0xFFFF) ^ (MAGIC >>> 16);
        int ip = in.getInt(4) ^ MAGIC;
        return ((ip >>> 24) & 0xFF) + "." + ((ip >>> 16) & 0xFF) + "." + ((ip >>> 8) & 0xFF) + "." + (ip & 0xFF) + ":" + port;
    }

    private static String text(byte[] value) {
        return new String(value, StandardCharsets.UTF_8);
    }
}
