package org.p2pchat.signaling.manual.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.p2pchat.signaling.manual.tests.SampleDescriptions.CHROME_ANSWER;
import static org.p2pchat.signaling.manual.tests.SampleDescriptions.CHROME_OFFER;
import static org.p2pchat.signaling.manual.tests.SampleDescriptions.MINIMAL_SDP;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.p2pchat.core.SessionDescription;
import org.p2pchat.core.SessionDescription.Type;
import org.p2pchat.core.signaling.SignalingException;
import org.p2pchat.core.signaling.PasteCodec.Form;
import org.p2pchat.signaling.manual.internal.ManualSignalingProvider;

/** Every kind of bad paste gets a message that says what is wrong; the provider stays usable. */
class ManualExchangeBadInputTest {

    private static final String NOT_A_DESCRIPTION = "This text is not a connection description";
    private static final String CUT_OFF_CODE = "The code is incomplete: it was cut off while copying";
    private static final String CUT_OFF_JSON = "The description text is cut off";
    private static final String NOT_JSON_DESCRIPTION = "This is JSON, but not a connection description";

    private final RegisteredProvider.Paste provider = RegisteredProvider.paste();
    private final String offerCode = provider.encode(CHROME_OFFER, Form.COMPACT);
    private final String offerJson = provider.encode(CHROME_OFFER, Form.BROWSER_JSON);

    @AfterEach
    void providerStillWorks() throws SignalingException {
        assertEquals(CHROME_OFFER, provider.decode(offerCode, Type.OFFER));
        assertEquals(CHROME_ANSWER, provider.decode(provider.encode(CHROME_ANSWER, Form.BROWSER_JSON), Type.ANSWER));
    }

    private String refused(String text, Type expected, String... parts) {
        SignalingException e = assertThrows(SignalingException.class, () -> provider.decode(text, expected));
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), () -> "message lacks '" + part + "': " + e.getMessage());
        }
        return e.getMessage();
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "   ", " \r\n\t ", "\"\"", "''", "\" \"" })
    void emptyInput(String text) {
        refused(text, Type.OFFER, "Nothing was pasted", "p2pchat1:", "{\"type\":");
    }

    @Test
    void nullInput() {
        refused(null, Type.OFFER, "Nothing was pasted");
    }

    @ParameterizedTest
    @ValueSource(strings = { "hello there", "42", "<html><body>offer</body></html>", "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n",
            "type: offer", "https://example.org/p2pchat1:abc" })
    void garbage(String text) {
        refused(text, Type.OFFER, NOT_A_DESCRIPTION, "p2pchat1:");
    }

    @Test
    void oversizedInput() {
        String message = refused("x".repeat(ManualSignalingProvider.MAX_TEXT_CHARS + 1), Type.OFFER,
                "The pasted text is longer than 128 KiB", "Paste only the text your peer sent");
        refused(offerCode + " ".repeat(ManualSignalingProvider.MAX_TEXT_CHARS), Type.OFFER, message);
    }

    @ParameterizedTest
    @ValueSource(ints = { 1, 2, 3, 4, 5, 10, 50, 200 })
    void truncatedCode(int missing) {
        refused(offerCode.substring(0, offerCode.length() - missing), Type.OFFER, CUT_OFF_CODE, "Copy all of it");
    }

    @ParameterizedTest
    @ValueSource(strings = { "p2pchat1:", "p2pchat1:  \n" })
    void codeWithoutBody(String text) {
        refused(text, Type.OFFER, CUT_OFF_CODE);
    }

    @ParameterizedTest
    @ValueSource(strings = { "+", "/", "!", "é", "=" })
    void codeWithForeignCharacters(String inserted) {
        String text = offerCode.substring(0, 40) + inserted + offerCode.substring(40);

        refused(text, Type.OFFER, "The code is damaged", "Copy it again, unchanged");
    }

    @Test
    void codeWithAChangedCharacter() {
        int at = offerCode.length() / 2;
        char changed = offerCode.charAt(at) == 'A' ? 'B' : 'A';

        refused(offerCode.substring(0, at) + changed + offerCode.substring(at + 1), Type.OFFER, "The code is damaged");
    }

    @Test
    void codeWithExtraCharacters() {
        refused(offerCode + "AAAA", Type.OFFER, "The code is damaged (it has extra characters after its end)");
    }

    @Test
    void codeWithWrongChecksum() {
        byte[] sdp = CHROME_OFFER.sdp().getBytes(StandardCharsets.UTF_8);

        refused(code(payload(1, crc(sdp) ^ 1, sdp)), Type.OFFER, "The code is damaged (its checksum does not match)");
    }

    @Test
    void codeTooShortForAHeader() {
        refused(code(new byte[] { 1, 2, 3 }), Type.OFFER, "The code is damaged (it is too short to hold a description)");
    }

    @Test
    void codeWithSdpThatIsNotUtf8() {
        byte[] sdp = { 'v', '=', '0', '\r', '\n', (byte) 0xC3, (byte) 0x28 };

        refused(code(payload(1, crc(sdp), sdp)), Type.OFFER, "The code is damaged (its SDP is not UTF-8 text)");
    }

    @Test
    void codeOfAnUnknownType() {
        byte[] sdp = MINIMAL_SDP.getBytes(StandardCharsets.UTF_8);

        refused(code(payload(7, crc(sdp), sdp)), Type.OFFER,
                "The code holds a description of an unknown type (7)");
    }

    @ParameterizedTest
    @ValueSource(strings = { "p2pchat2:", "P2PCHAT17:" })
    void codeOfANewerFormat(String prefix) {
        refused(prefix + offerCode.substring(9), Type.OFFER, "This code is in format " + prefix.toLowerCase(),
                "Update P2P Chat");
    }

    @ParameterizedTest
    @ValueSource(strings = { "p2pchat:", "p2pchat1", "p2pchat-1:" })
    void codeWithADamagedPrefix(String prefix) {
        refused(prefix + offerCode.substring(9), Type.OFFER, "The code is damaged (it does not start with p2pchat1:)");
    }

    @Test
    void deflateBombIsRefused() {
        // 60 MB of zeros packs into a code well under the text cap; only the first 256 KiB may be unpacked.
        byte[] bomb = new byte[60 << 20];
        bomb[0] = 1;
        String text = code(bomb);
        assertTrue(text.length() < ManualSignalingProvider.MAX_TEXT_CHARS, text.length() + " chars");

        refused(text, Type.OFFER, "The code unpacks to more than 256 KiB", "It is refused");
    }

    @ParameterizedTest
    @ValueSource(ints = { 1, 2, 20, 100, 500 })
    void truncatedJson(int missing) {
        refused(offerJson.substring(0, offerJson.length() - missing), Type.OFFER, CUT_OFF_JSON, "closing }");
    }

    @ParameterizedTest
    @ValueSource(strings = { "{\"type\":\"offer\" \"sdp\":\"v=0\"}", "{\"type\":\"offer\",\"sdp\":\"v=0\"}}",
            "{\"type\":\"offer\",,}" })
    void invalidJson(String text) {
        refused(text, Type.OFFER, "The description text is not valid JSON (", "Copy it again, unchanged");
    }

    @ParameterizedTest
    @ValueSource(strings = { "{\"id\":\"1\",\"content\":\"hi\",\"sender\":\"bob\",\"timestamp\":1}", "[1,2]", "{}",
            "{\"type\":\"offer\"}", "{\"type\":\"offer\",\"sdp\":5}", "{\"sdp\":\"v=0\\r\\n\"}",
            "{\"type\":[\"offer\"],\"sdp\":\"v=0\\r\\n\"}", "[{\"type\":\"offer\",\"sdp\":\"v=0\\r\\n\"}]" })
    void jsonThatIsNotADescription(String text) {
        refused(text, Type.OFFER, NOT_JSON_DESCRIPTION, "\"type\"", "\"sdp\"");
    }

    @Test
    void unknownDescriptionType() {
        refused("{\"type\":\"pranswer\",\"sdp\":\"v=0\\r\\n\"}", Type.ANSWER,
                "A description of type 'pranswer' cannot be used here: only an offer or an answer");
        refused("{\"type\":\"" + "x".repeat(500) + "\",\"sdp\":\"\"}", Type.ANSWER, "'" + "x".repeat(37) + "...'");
    }

    @ParameterizedTest
    @EnumSource(Form.class)
    void answerWhereTheOfferIsNeeded(Form form) {
        refused(provider.encode(CHROME_ANSWER, form), Type.OFFER,
                "This is an answer, but this step needs the offer from your peer");
    }

    @ParameterizedTest
    @EnumSource(Form.class)
    void offerWhereTheAnswerIsNeeded(Form form) {
        refused(provider.encode(CHROME_OFFER, form), Type.ANSWER,
                "This is an offer, but this step needs your peer's answer to the offer you sent");
    }

    @ParameterizedTest
    @EnumSource(Form.class)
    void sdpThatDoesNotStartWithVersionZero(Form form) {
        for (String sdp : new String[] { CHROME_OFFER.sdp().substring(5), "v=1\r\n" + CHROME_OFFER.sdp().substring(5),
                " " + CHROME_OFFER.sdp(), "" }) {
            refused(provider.encode(new SessionDescription(Type.OFFER, sdp), form), Type.OFFER,
                    "The description's SDP does not start with v=0");
        }
    }

    @ParameterizedTest
    @EnumSource(Form.class)
    void sdpWithoutFingerprintIsRefused(Form form) {
        String unencrypted = CHROME_OFFER.sdp().replaceAll("a=fingerprint:[^\r]*\r\n", "");
        String mentionedOnly = unencrypted + "a=x-note:a=fingerprint:sha-256 AB\r\n";

        for (String sdp : new String[] { unencrypted, mentionedOnly, unencrypted + "a=fingerprint:\r\n" }) {
            refused(provider.encode(new SessionDescription(Type.OFFER, sdp), form), Type.OFFER,
                    "The description has no a=fingerprint line", "not be encrypted");
        }
    }

    /** {@code [type][CRC-32 of the SDP][SDP]}, the compact form's payload. */
    private static byte[] payload(int type, int crc, byte[] sdp) {
        return ByteBuffer.allocate(5 + sdp.length).put((byte) type).putInt(crc).put(sdp).array();
    }

    /** A compact code for {@code payload}; the reader's preset dictionary is harmless when unused. */
    static String code(byte[] payload) {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        deflater.setInput(payload);
        deflater.finish();
        ByteArrayOutputStream packed = new ByteArrayOutputStream();
        byte[] chunk = new byte[65536];
        while (!deflater.finished()) {
            packed.write(chunk, 0, deflater.deflate(chunk));
        }
        deflater.end();
        return "p2pchat1:" + Base64.getUrlEncoder().withoutPadding().encodeToString(packed.toByteArray());
    }

    private static int crc(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return (int) crc.getValue();
    }
}
