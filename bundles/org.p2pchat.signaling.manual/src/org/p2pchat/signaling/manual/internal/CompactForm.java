package org.p2pchat.signaling.manual.internal;

import java.io.ByteArrayOutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

import org.p2pchat.core.SessionDescription;
import org.p2pchat.core.identity.IdentityProof;
import org.p2pchat.core.identity.PublicIdentity;
import org.p2pchat.core.signaling.SignalingException;
import org.p2pchat.core.signaling.SignedDescription;

/**
 * One line for pasting between our clients: {@code p2pchat1:} and the base64url (no padding) of
 * raw DEFLATE over {@code [type][CRC-32 of the rest][proof, if the type has WITH_PROOF][SDP in UTF-8]},
 * compressed with a preset dictionary of the phrases every WebRTC SDP repeats. The proof is
 * {@code [key length][X.509 Ed25519 key][16-byte nonce][signature length][signature]}.
 * <p>
 * The digit in the prefix is the format version: the payload layout and the dictionary are part
 * of format 1 and must never change; a change gets a new digit. The CRC is there because raw
 * DEFLATE has no check of its own, and a code damaged in transit would otherwise unpack into a
 * subtly different SDP instead of being refused.
 */
final class CompactForm {

    static final String PREFIX = "p2pchat1:";

    /** A description is a few KiB; a code that unpacks to more is a deflate bomb or not ours. */
    static final int MAX_INFLATED_BYTES = 256 * 1024;

    private static final Pattern VERSIONED_PREFIX = Pattern.compile("(?i)p2pchat(\\d+):");
    private static final Pattern BASE64URL = Pattern.compile("[A-Za-z0-9_-]*=*");

    private static final byte OFFER = 1;
    private static final byte ANSWER = 2;
    /** Set in the type byte when an identity proof follows the CRC. */
    private static final int WITH_PROOF = 0x80;
    private static final int NONCE_BYTES = 16;
    private static final int HEADER_BYTES = 1 + Integer.BYTES;

    /**
     * Phrases of Chrome, Firefox and libwebrtc data-channel SDP, the commonest last (DEFLATE codes
     * near matches shorter). Part of format 1: never edit.
     */
    private static final byte[] DICTIONARY = ("a=sendrecv\r\na=msid-semantic:WMS *\r\no=mozilla...THIS_IS_SDPARTA-"
            + " 0 IN IP4 0.0.0.0\r\na=sctpmap:5000 webrtc-datachannel 1024\r\nm=application 9 DTLS/SCTP 5000\r\n"
            + "c=IN IP6 ::\r\na=end-of-candidates\r\na=ice-lite\r\n"
            + " typ host tcptype passive generation 0 network-id 1\r\n"
            + " typ host tcptype active generation 0 network-id 1\r\n"
            + " typ relay raddr 0.0.0.0 rport 0 generation 0 network-id 1\r\n"
            + " typ srflx raddr 0.0.0.0 rport 0 generation 0 network-id 1\r\n"
            + "a=candidate:1 1 tcp 1518280447 \r\na=candidate:1 1 udp 1686052607 \r\n"
            + "a=candidate:1 1 udp 41885439 \r\na=candidate:1 1 udp 2122260223 \r\n"
            + " typ host generation 0 network-id 1 network-cost 10\r\n"
            + "v=0\r\no=- 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\na=extmap-allow-mixed\r\n"
            + "a=msid-semantic: WMS\r\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 0.0.0.0\r\n"
            + "a=ice-ufrag:\r\na=ice-pwd:\r\na=ice-options:trickle\r\na=fingerprint:sha-256 \r\n"
            + "a=setup:actpass\r\na=setup:active\r\na=setup:passive\r\na=mid:0\r\na=sctp-port:5000\r\n"
            + "a=max-message-size:262144\r\n").getBytes(StandardCharsets.US_ASCII);

    private CompactForm() {
    }

    static String encode(SignedDescription signed) {
        SessionDescription description = signed.description();
        byte[] proof = signed.proof() == null ? new byte[0] : proofBytes(signed.proof());
        byte[] sdp = description.sdp().getBytes(StandardCharsets.UTF_8);
        byte[] rest = ByteBuffer.allocate(proof.length + sdp.length).put(proof).put(sdp).array();
        int type = (description.type() == SessionDescription.Type.OFFER ? OFFER : ANSWER)
                | (signed.proof() == null ? 0 : WITH_PROOF);
        byte[] payload = ByteBuffer.allocate(HEADER_BYTES + rest.length)
                .put((byte) type)
                .putInt(crc(rest))
                .put(rest)
                .array();
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        try {
            deflater.setDictionary(DICTIONARY);
            deflater.setInput(payload);
            deflater.finish();
            ByteArrayOutputStream packed = new ByteArrayOutputStream(payload.length / 2 + 64);
            byte[] chunk = new byte[4096];
            while (!deflater.finished()) {
                packed.write(chunk, 0, deflater.deflate(chunk));
            }
            return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(packed.toByteArray());
        } finally {
            deflater.end();
        }
    }

    /** Whether the text, with all white space taken out, claims to be a code of any version. */
    static boolean isCompact(String text) {
        return withoutWhiteSpace(text).regionMatches(true, 0, "p2pchat", 0, "p2pchat".length());
    }

    /** Mail and chat clients break and space long lines; no such character is part of a code. */
    private static String withoutWhiteSpace(String text) {
        StringBuilder kept = new StringBuilder(text.length());
        text.chars().filter(c -> !Character.isWhitespace(c) && !Character.isSpaceChar(c)
                && c != '\u200B' && c != '\u00AD' && c != '\uFEFF').forEach(c -> kept.append((char) c));
        return kept.toString();
    }

    static SignedDescription decode(String text) throws SignalingException {
        String code = withoutWhiteSpace(text);
        Matcher prefix = VERSIONED_PREFIX.matcher(code);
        if (!prefix.lookingAt()) {
            throw damaged("it does not start with " + PREFIX);
        }
        if (!prefix.group(1).equals("1")) {
            throw new SignalingException("This code is in format p2pchat" + prefix.group(1) + ":, which this "
                    + "version of P2P Chat cannot read. Update P2P Chat, or ask your peer for the {\"type\":...} "
                    + "form instead.");
        }
        String body = code.substring(prefix.end());
        if (body.isEmpty()) {
            throw cutOff();
        }
        if (!BASE64URL.matcher(body).matches()) {
            throw damaged("it contains characters that are never part of a code");
        }
        byte[] packed;
        try {
            packed = Base64.getUrlDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            // Of all text lengths, only one in four can never be base64: the end of the code is missing.
            throw body.length() % 4 == 1 ? cutOff() : damaged("it is not valid base64");
        }
        return parse(inflate(packed));
    }

    private static byte[] inflate(byte[] packed) throws SignalingException {
        Inflater inflater = new Inflater(true);
        try {
            inflater.setDictionary(DICTIONARY);
            inflater.setInput(packed);
            ByteArrayOutputStream payload = new ByteArrayOutputStream(Math.min(packed.length * 4, MAX_INFLATED_BYTES));
            byte[] chunk = new byte[8192];
            while (!inflater.finished()) {
                int n = inflater.inflate(chunk);
                if (n == 0 && !inflater.finished()) {
                    throw inflater.needsInput() ? cutOff() : damaged("it does not unpack");
                }
                // Checked per chunk, so a bomb stops after the limit instead of unpacking whole.
                if (payload.size() + n > MAX_INFLATED_BYTES) {
                    throw new SignalingException("The code unpacks to more than " + MAX_INFLATED_BYTES / 1024
                            + " KiB, far more than a connection description. It is refused.");
                }
                payload.write(chunk, 0, n);
            }
            if (inflater.getRemaining() > 0) {
                throw damaged("it has extra characters after its end");
            }
            return payload.toByteArray();
        } catch (DataFormatException e) {
            throw damaged("it does not unpack: " + e.getMessage());
        } finally {
            inflater.end();
        }
    }

    private static byte[] proofBytes(IdentityProof proof) {
        Base64.Decoder b64 = Base64.getUrlDecoder();
        byte[] key = b64.decode(proof.identity().key());
        byte[] nonce = b64.decode(proof.nonce());
        byte[] signature = b64.decode(proof.signature());
        return ByteBuffer.allocate(2 + key.length + nonce.length + signature.length).put((byte) key.length).put(key)
                .put(nonce).put((byte) signature.length).put(signature).array();
    }

    private static IdentityProof readProof(ByteBuffer in) throws SignalingException {
        try {
            Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
            byte[] key = new byte[in.get() & 0xFF];
            in.get(key);
            byte[] nonce = new byte[NONCE_BYTES];
            in.get(nonce);
            byte[] signature = new byte[in.get() & 0xFF];
            in.get(signature);
            return new IdentityProof(new PublicIdentity(b64.encodeToString(key)), b64.encodeToString(nonce),
                    b64.encodeToString(signature));
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw damaged("its identity part is damaged");
        }
    }

    private static SignedDescription parse(byte[] payload) throws SignalingException {
        if (payload.length < HEADER_BYTES) {
            throw damaged("it is too short to hold a description");
        }
        ByteBuffer in = ByteBuffer.wrap(payload);
        int typeAndFlags = in.get() & 0xFF;
        int expectedCrc = in.getInt();
        if (crc(Arrays.copyOfRange(payload, HEADER_BYTES, payload.length)) != expectedCrc) {
            throw damaged("its checksum does not match");
        }
        IdentityProof proof = (typeAndFlags & WITH_PROOF) != 0 ? readProof(in) : null;
        byte type = (byte) (typeAndFlags & ~WITH_PROOF);
        byte[] sdp = new byte[in.remaining()];
        in.get(sdp);
        SessionDescription.Type known = switch (type) {
            case OFFER -> SessionDescription.Type.OFFER;
            case ANSWER -> SessionDescription.Type.ANSWER;
            default -> throw new SignalingException("The code holds a description of an unknown type (" + type
                    + "): only an offer or an answer can be used here.");
        };
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(sdp)).toString();
            return new SignedDescription(new SessionDescription(known, text), proof);
        } catch (CharacterCodingException e) {
            throw damaged("its SDP is not UTF-8 text");
        }
    }

    private static int crc(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return (int) crc.getValue();
    }

    private static SignalingException cutOff() {
        return new SignalingException("The code is incomplete: it was cut off while copying. Copy all of it, "
                + "from " + PREFIX + " to the end.");
    }

    private static SignalingException damaged(String what) {
        return new SignalingException("The code is damaged (" + what + "). Copy it again, unchanged.");
    }
}
