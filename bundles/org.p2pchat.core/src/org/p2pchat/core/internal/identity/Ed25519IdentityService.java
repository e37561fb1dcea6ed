package org.p2pchat.core.internal.identity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import com.google.gson.reflect.TypeToken;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.p2pchat.core.SessionDescription;
import org.p2pchat.core.identity.Contact;
import org.p2pchat.core.identity.DtlsFingerprints;
import org.p2pchat.core.identity.IdentityException;
import org.p2pchat.core.identity.IdentityProof;
import org.p2pchat.core.identity.IdentityService;
import org.p2pchat.core.identity.PublicIdentity;
import org.p2pchat.core.settings.Profiles;
import org.p2pchat.core.internal.profile.PassphraseProfileLock;
import org.p2pchat.core.profile.ProfileVault;
import org.p2pchat.core.text.DisplayNames;

/**
 * The profile's Ed25519 identity, its private key kept in the profile's {@link ProfileVault}
 * (encrypted when the profile has a passphrase), and its contacts in {@code contacts.json}.
 */
@Component(service = IdentityService.class)
public final class Ed25519IdentityService implements IdentityService {

    /** Where earlier versions kept the key, in plain text. */
    static final String KEY_FILE = "identity.key";
    /** The key's name in the profile's vault. */
    static final String KEY_SECRET = "identity-key";
    static final String CONTACTS_FILE = "contacts.json";
    private static final String PROOF_CONTEXT = "p2pchat-identity-v1";
    private static final String SAFETY_CONTEXT = "p2pchat-safety-v1";
    /** The stable safety number's context: each key's half is an iterated hash under it. */
    private static final String STABLE_SAFETY_CONTEXT = "p2pchat-safety-v2";
    /** Rounds of SHA-512 over each key's half: makes a key with a chosen half expensive to search for. */
    private static final int SAFETY_ROUNDS = 5200;
    private static final int REMEMBERED_NONCES = 10_000;
    private static final System.Logger LOG = System.getLogger(Ed25519IdentityService.class.getName());
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();
    private static final Type CONTACT_LIST = new TypeToken<List<Contact>>() { }.getType();

    private final SecureRandom random = new SecureRandom();
    /** Nonces of accepted proofs, so a recorded description cannot be replayed. */
    private final Map<String, Boolean> seenNonces = new LinkedHashMap<>(16, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED_NONCES;
        }
    };
    private Path directory;
    private PrivateKey privateKey;
    private PublicIdentity self;
    private final List<Contact> contacts = new ArrayList<>();

    @Reference
    private ProfileVault vault;

    /** For DS. */
    public Ed25519IdentityService() {
    }

    /**
     * For use outside a framework: the identity of the profile in {@code profileDirectory}, which
     * must have no passphrase (else use {@link #Ed25519IdentityService(ProfileVault)}).
     */
    public Ed25519IdentityService(Path profileDirectory) throws IOException {
        this(new PassphraseProfileLock(profileDirectory).vault().orElseThrow(() -> new IOException(
                "The profile " + profileDirectory + " is protected by a passphrase; unlock it first.")));
    }

    /** For use outside a framework: the identity kept in {@code vault}. */
    public Ed25519IdentityService(ProfileVault vault) throws IOException {
        open(vault);
    }

    @Activate
    void activate() throws IOException {
        open(vault);
    }

    /**
     * Reads the key from the vault; a profile of an earlier version has it in a plain
     * {@code identity.key}, which moves into the vault (the same key) and is deleted.
     */
    private void open(ProfileVault secrets) throws IOException {
        Path dir = secrets.directory();
        directory = Profiles.ensurePrivateDirectory(dir);
        Path keyFile = dir.resolve(KEY_FILE);
        Optional<byte[]> stored = secrets.read(KEY_SECRET);
        if (stored.isPresent()) {
            load(stored.get(), "the profile's vault (" + dir + ")");
        } else if (Files.exists(keyFile)) {
            byte[] plain = Files.readAllBytes(keyFile);
            load(plain, keyFile.toString());
            secrets.write(KEY_SECRET, plain);
        } else {
            try {
                KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
                privateKey = pair.getPrivate();
                self = PublicIdentity.of(pair.getPublic());
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("this Java runtime cannot make Ed25519 keys", e);
            }
            secrets.write(KEY_SECRET, (Base64.getEncoder().encodeToString(privateKey.getEncoded()) + "\n" + self.key()
                    + "\n").getBytes(StandardCharsets.US_ASCII));
        }
        // In the vault now (a crash before this line leaves both, and the vault's copy wins).
        Files.deleteIfExists(keyFile);
        Thread.ofPlatform().daemon().name("p2pchat-identity-warm-up").start(this::warmUp);
        Path contactsFile = dir.resolve(CONTACTS_FILE);
        if (Files.exists(contactsFile)) {
            try {
                List<Contact> read = GSON.fromJson(Files.readString(contactsFile, StandardCharsets.UTF_8), CONTACT_LIST);
                if (read != null) {
                    read.stream().filter(c -> c != null && c.name() != null && c.identity() != null).forEach(contacts::add);
                }
            } catch (JsonParseException | IllegalArgumentException e) {
                throw new IOException("The contacts file " + contactsFile + " is damaged: " + e.getMessage(), e);
            }
        }
    }

    /** The key as kept: the private key (PKCS#8, Base64), a line break, the public identity. */
    private void load(byte[] kept, String where) throws IOException {
        try {
            String[] lines = new String(kept, StandardCharsets.US_ASCII).strip().split("\n");
            privateKey = KeyFactory.getInstance("Ed25519")
                    .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(lines[0].strip())));
            self = new PublicIdentity(lines[1].strip());
        } catch (GeneralSecurityException | IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
            throw new IOException("The identity key in " + where + " is damaged (" + e.getMessage()
                    + "). Move it away to create a new identity; peers will see a changed key.", e);
        }
    }

    /**
     * Signs and verifies once, beside the start, so that loading and compiling the Ed25519 code
     * lands neither on the first offer a user creates (tens of milliseconds there) nor on the
     * thread that opened the identity (the window's, while it is drawn).
     */
    private void warmUp() {
        SessionDescription probe = new SessionDescription(SessionDescription.Type.OFFER,
                "v=0\r\na=fingerprint:sha-256 00:00\r\n");
        try {
            new Ed25519IdentityService(self, privateKey).verify(probe, prove(probe));
        } catch (IdentityException | RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "the identity key cannot verify its own signature", e);
        }
    }

    /** A throwaway instance for {@link #warmUp()}: same key, its own nonce memory. */
    private Ed25519IdentityService(PublicIdentity self, PrivateKey privateKey) {
        this.self = self;
        this.privateKey = privateKey;
    }

    /** Writes a file readable by its owner only, atomically. */
    private void writePrivately(Path file, String content) throws IOException {
        Path tmp = Files.createTempFile(directory, file.getFileName().toString(), ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(tmp, content, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @Override
    public PublicIdentity self() {
        return self;
    }

    @Override
    public IdentityProof prove(SessionDescription description) {
        String nonce = freshNonce();
        return new IdentityProof(self, nonce, sign(signedBytes(description, nonce)));
    }

    @Override
    public byte[] sign(String context, byte[] message) {
        if (context == null || !context.startsWith("p2pchat-") || context.contains("\n")
                || context.equals(PROOF_CONTEXT) || context.equals(SAFETY_CONTEXT)) {
            throw new IllegalArgumentException("not a context a plug-in may sign for: " + context);
        }
        byte[] head = (context + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] data = java.util.Arrays.copyOf(head, head.length + message.length);
        System.arraycopy(message, 0, data, head.length, message.length);
        return Base64.getUrlDecoder().decode(sign(data));
    }

    private String freshNonce() {
        byte[] nonceBytes = new byte[16];
        random.nextBytes(nonceBytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(nonceBytes);
    }

    private String sign(byte[] data) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(privateKey);
            s.update(data);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with the identity key", e);
        }
    }

    @Override
    public PublicIdentity verify(SessionDescription description, IdentityProof proof) throws IdentityException {
        if (DtlsFingerprints.of(description.sdp()).isEmpty()) {
            throw new IdentityException("The " + description.type().wireName() + " has no DTLS fingerprint to verify.");
        }
        boolean valid;
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(proof.identity().publicKey());
            s.update(signedBytes(description, proof.nonce()));
            valid = s.verify(Base64.getUrlDecoder().decode(proof.signature()));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            valid = false;
        }
        if (!valid) {
            throw new IdentityException("The " + description.type().wireName() + "'s identity signature does not match "
                    + "its encryption fingerprint: it was changed on the way (possibly a man in the middle). Do not use it.");
        }
        synchronized (seenNonces) {
            if (seenNonces.putIfAbsent(proof.nonce(), Boolean.TRUE) != null) {
                throw new IdentityException("This " + description.type().wireName()
                        + " was already used once; a replayed description is refused. Ask for a new one.");
            }
        }
        return proof.identity();
    }

    private static byte[] signedBytes(SessionDescription d, String nonce) {
        return (PROOF_CONTEXT + "\n" + d.type().wireName() + "\n" + String.join("\n", DtlsFingerprints.of(d.sdp()))
                + "\n" + nonce).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String safetyNumber(PublicIdentity peer) {
        String mine = safetyHalf(self);
        String theirs = safetyHalf(peer);
        String both = mine.compareTo(theirs) <= 0 ? mine + theirs : theirs + mine;
        StringBuilder number = new StringBuilder();
        for (int i = 0; i < both.length(); i += 5) {
            number.append(i == 0 ? "" : " ").append(both, i, i + 5);
        }
        return number.toString();
    }

    /** One key's 30 digits: six groups of five from the first 30 bytes of an iterated SHA-512. */
    private static String safetyHalf(PublicIdentity who) {
        byte[] key = Base64.getUrlDecoder().decode(who.key());
        MessageDigest digest = sha512();
        digest.update(STABLE_SAFETY_CONTEXT.getBytes(StandardCharsets.UTF_8));
        digest.update(key);
        byte[] hash = digest.digest();
        for (int round = 1; round < SAFETY_ROUNDS; round++) {
            digest.update(hash);
            digest.update(key);
            hash = digest.digest();
        }
        StringBuilder digits = new StringBuilder();
        for (int group = 0; group < 6; group++) {
            long v = 0;
            for (int i = 0; i < 5; i++) {
                v = (v << 8) | (hash[group * 5 + i] & 0xFF);
            }
            digits.append(String.format("%05d", v % 100_000));
        }
        return digits.toString();
    }

    @Override
    @Deprecated(since = "1.1")
    public String safetyNumber(PublicIdentity peer, SessionDescription local, SessionDescription remote) {
        byte[] mine = safetyPart(self, local);
        byte[] theirs = safetyPart(peer, remote);
        boolean mineFirst = self.key().compareTo(peer.key()) <= 0;
        MessageDigest digest = sha256();
        digest.update(mineFirst ? mine : theirs);
        digest.update(mineFirst ? theirs : mine);
        byte[] d = digest.digest();
        StringBuilder number = new StringBuilder();
        for (int group = 0; group < 5; group++) {
            int v = ((d[group * 3] & 0xFF) << 16) | ((d[group * 3 + 1] & 0xFF) << 8) | (d[group * 3 + 2] & 0xFF);
            number.append(group == 0 ? "" : " ").append(String.format("%05d", v % 100_000));
        }
        return number.toString();
    }

    private static byte[] safetyPart(PublicIdentity who, SessionDescription description) {
        MessageDigest digest = sha256();
        digest.update((SAFETY_CONTEXT + "\n" + who.key() + "\n" + String.join("\n", DtlsFingerprints.of(description.sdp())))
                .getBytes(StandardCharsets.UTF_8));
        return digest.digest();
    }

    private static MessageDigest sha512() {
        try {
            return MessageDigest.getInstance("SHA-512");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public synchronized Contact.Status meet(String name, PublicIdentity identity) {
        // Names as shown: one that differs only by invisible characters is the same name.
        String shown = DisplayNames.clean(name);
        for (Contact c : contacts) {
            if (DisplayNames.clean(c.name()).equals(shown)) {
                return c.identity().equals(identity) ? Contact.Status.KNOWN : Contact.Status.CHANGED;
            }
        }
        contacts.add(new Contact(shown, identity, System.currentTimeMillis()));
        saveContacts();
        return Contact.Status.NEW;
    }

    @Override
    public synchronized void remember(String name, PublicIdentity identity) {
        String shown = DisplayNames.clean(name);
        contacts.removeIf(c -> DisplayNames.clean(c.name()).equals(shown));
        contacts.add(new Contact(shown, identity, System.currentTimeMillis()));
        saveContacts();
    }

    private void saveContacts() {
        try {
            writePrivately(directory.resolve(CONTACTS_FILE), GSON.toJson(contacts, CONTACT_LIST));
        } catch (IOException e) {
            throw new UncheckedIOException("could not save contacts", e);
        }
    }

    @Override
    public synchronized List<Contact> contacts() {
        return List.copyOf(contacts);
    }
}
