package org.p2pchat.core.tests.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.core.SessionDescription;
import org.p2pchat.core.identity.Contact;
import org.p2pchat.core.identity.DtlsFingerprints;
import org.p2pchat.core.identity.IdentityException;
import org.p2pchat.core.identity.IdentityProof;
import org.p2pchat.core.identity.PublicIdentity;
import org.p2pchat.core.internal.identity.Ed25519IdentityService;

class IdentityServiceTest {

    private static final String FP_A = "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89";
    private static final String FP_M = "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF";

    @TempDir
    Path temp;

    private static SessionDescription offer(String fingerprint) {
        return new SessionDescription(SessionDescription.Type.OFFER, "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
                + "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 0.0.0.0\r\n"
                + "a=candidate:1 1 udp 2122260223 192.0.2.1 50000 typ host\r\n"
                + "a=fingerprint:sha-256 " + fingerprint + "\r\na=setup:actpass\r\n");
    }

    private static SessionDescription answer(String fingerprint) {
        return new SessionDescription(SessionDescription.Type.ANSWER, offer(fingerprint).sdp().replace("actpass", "active"));
    }

    @Test
    void theKeyIsCreatedOnceOwnerOnlyAndKeptAcrossRestarts() throws Exception {
        Ed25519IdentityService first = new Ed25519IdentityService(temp);
        Path key = temp.resolve("secrets/identity-key");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key.getParent())));
        Ed25519IdentityService again = new Ed25519IdentityService(temp);
        assertEquals(first.self(), again.self());
        assertTrue(first.self().fingerprint().matches("([0-9A-F]{4} ){7}[0-9A-F]{4}"), first.self().fingerprint());
        assertNotEquals(first.self(), new Ed25519IdentityService(temp.resolve("other")).self());
    }

    @Test
    void aProofVerifiesForTheDescriptionItWasMadeFor() throws Exception {
        Ed25519IdentityService alice = new Ed25519IdentityService(temp.resolve("a"));
        Ed25519IdentityService bob = new Ed25519IdentityService(temp.resolve("b"));
        SessionDescription offer = offer(FP_A);
        IdentityProof proof = alice.prove(offer);
        assertEquals(alice.self(), bob.verify(offer, proof));
    }

    @Test
    void aSwappedFingerprintIsDetected() throws Exception {
        Ed25519IdentityService alice = new Ed25519IdentityService(temp.resolve("a"));
        Ed25519IdentityService bob = new Ed25519IdentityService(temp.resolve("b"));
        IdentityProof proof = alice.prove(offer(FP_A));
        IdentityException e = assertThrows(IdentityException.class, () -> bob.verify(offer(FP_M), proof));
        assertTrue(e.getMessage().contains("man in the middle"), e.getMessage());
    }

    @Test
    void aProofForAnOfferDoesNotVouchForAnAnswerOrAnotherKey() throws Exception {
        Ed25519IdentityService alice = new Ed25519IdentityService(temp.resolve("a"));
        Ed25519IdentityService mallory = new Ed25519IdentityService(temp.resolve("m"));
        Ed25519IdentityService bob = new Ed25519IdentityService(temp.resolve("b"));
        IdentityProof proof = alice.prove(offer(FP_A));
        assertThrows(IdentityException.class, () -> bob.verify(answer(FP_A), proof));
        IdentityProof stolen = new IdentityProof(mallory.self(), proof.nonce(), proof.signature());
        assertThrows(IdentityException.class, () -> bob.verify(offer(FP_A), stolen));
        IdentityProof garbage = new IdentityProof(alice.self(), proof.nonce(), "not-base64-!!");
        assertThrows(IdentityException.class, () -> bob.verify(offer(FP_A), garbage));
    }

    @Test
    void aReplayedDescriptionIsRefused() throws Exception {
        Ed25519IdentityService alice = new Ed25519IdentityService(temp.resolve("a"));
        Ed25519IdentityService bob = new Ed25519IdentityService(temp.resolve("b"));
        IdentityProof proof = alice.prove(offer(FP_A));
        bob.verify(offer(FP_A), proof);
        IdentityException e = assertThrows(IdentityException.class, () -> bob.verify(offer(FP_A), proof));
        assertTrue(e.getMessage().contains("already used"), e.getMessage());
        assertNotEquals(proof.nonce(), alice.prove(offer(FP_A)).nonce());
    }

    @Test
    void aDescriptionWithoutFingerprintCannotBeVerified() throws Exception {
        Ed25519IdentityService alice = new Ed25519IdentityService(temp.resolve("a"));
        SessionDescription plain = new SessionDescription(SessionDescription.Type.OFFER, "v=0\r\n");
        IdentityException e = assertThrows(IdentityException.class, () -> alice.verify(plain, alice.prove(plain)));
        assertTrue(e.getMessage().contains("no DTLS fingerprint"), e.getMessage());
    }

    @Test
    @SuppressWarnings("deprecation")
    void bothSidesComputeTheSameSafetyNumberAndAManInTheMiddleChangesIt() throws Exception {
        Ed25519IdentityService alice = new Ed25519IdentityService(temp.resolve("a"));
        Ed25519IdentityService bob = new Ed25519IdentityService(temp.resolve("b"));
        SessionDescription offer = offer(FP_A);
        SessionDescription answer = answer(FP_M);
        String aliceSees = alice.safetyNumber(bob.self(), offer, answer);
        String bobSees = bob.safetyNumber(alice.self(), answer, offer);
        assertEquals(aliceSees, bobSees);
        assertTrue(aliceSees.matches("\\d{5}( \\d{5}){4}"), aliceSees);
        // A man in the middle has its own DTLS certificate towards each side.
        assertNotEquals(aliceSees, alice.safetyNumber(bob.self(), offer, answer(FP_A)));
    }

    @Test
    void theSafetyNumberDependsOnlyOnTheTwoKeysTheSameOnBothSidesAndAfterARestart() throws Exception {
        Ed25519IdentityService alice = new Ed25519IdentityService(temp.resolve("a"));
        Ed25519IdentityService bob = new Ed25519IdentityService(temp.resolve("b"));
        String aliceSees = alice.safetyNumber(bob.self());
        assertEquals(aliceSees, bob.safetyNumber(alice.self()), "order-independent");
        assertTrue(aliceSees.matches("\\d{5}( \\d{5}){11}"), aliceSees);
        // The same after a restart of either side (the keys are read back from the profiles).
        assertEquals(aliceSees, new Ed25519IdentityService(temp.resolve("a")).safetyNumber(bob.self()));
        assertEquals(aliceSees, new Ed25519IdentityService(temp.resolve("b")).safetyNumber(alice.self()));
        // Another key under bob's name (an impostor, a reinstall) gives another number.
        PublicIdentity impostor = new Ed25519IdentityService(temp.resolve("x")).self();
        assertNotEquals(aliceSees, alice.safetyNumber(impostor));
    }

    @Test
    void rememberingAChangedKeyMakesItTheContactsKey() throws Exception {
        Ed25519IdentityService me = new Ed25519IdentityService(temp.resolve("me"));
        PublicIdentity bob = new Ed25519IdentityService(temp.resolve("b")).self();
        PublicIdentity reinstalled = new Ed25519IdentityService(temp.resolve("b2")).self();
        assertEquals(Contact.Status.NEW, me.meet("bob", bob));
        assertEquals(Contact.Status.CHANGED, me.meet("bob", reinstalled));
        me.remember("bob", reinstalled);
        assertEquals(Contact.Status.KNOWN, me.meet("bob", reinstalled));
        assertEquals(Contact.Status.CHANGED, me.meet("bob", bob));
        // Kept in the profile.
        Ed25519IdentityService restarted = new Ed25519IdentityService(temp.resolve("me"));
        assertEquals(Contact.Status.KNOWN, restarted.meet("bob", reinstalled));
        assertEquals(1, restarted.contacts().size());
    }

    @Test
    void contactsAreTrustedOnFirstUseAndAChangedKeyIsFlagged() throws Exception {
        Ed25519IdentityService me = new Ed25519IdentityService(temp.resolve("me"));
        PublicIdentity bob = new Ed25519IdentityService(temp.resolve("b")).self();
        PublicIdentity impostor = new Ed25519IdentityService(temp.resolve("x")).self();
        assertEquals(Contact.Status.NEW, me.meet("bob", bob));
        assertEquals(Contact.Status.KNOWN, me.meet("bob", bob));
        assertEquals(Contact.Status.CHANGED, me.meet("bob", impostor));
        Ed25519IdentityService restarted = new Ed25519IdentityService(temp.resolve("me"));
        assertEquals(Contact.Status.CHANGED, restarted.meet("bob", impostor));
        assertEquals(List.of("bob"), restarted.contacts().stream().map(Contact::name).toList());
    }

    @Test
    void fingerprintsAreReadFromEverySectionNormalised() {
        String sdp = "v=0\r\na=fingerprint:SHA-256 ab:cd\r\nm=application 9\r\na=fingerprint:sha-1 01:02\r\n";
        assertEquals(List.of("sha-1 01:02", "sha-256 AB:CD"), DtlsFingerprints.of(sdp));
    }

    @Test
    void aDamagedKeyFileIsAClearError() throws Exception {
        Files.createDirectories(temp.resolve("d"));
        Files.writeString(temp.resolve("d/identity.key"), "garbage");
        Exception e = assertThrows(java.io.IOException.class, () -> new Ed25519IdentityService(temp.resolve("d")));
        assertTrue(e.getMessage().contains("damaged"), e.getMessage());
    }
}
