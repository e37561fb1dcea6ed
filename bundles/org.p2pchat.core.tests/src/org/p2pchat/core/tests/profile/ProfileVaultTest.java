package org.p2pchat.core.tests.profile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.core.identity.PublicIdentity;
import org.p2pchat.core.internal.identity.Ed25519IdentityService;
import org.p2pchat.core.internal.profile.PassphraseProfileLock;
import org.p2pchat.core.profile.ProfileVault;
import org.p2pchat.core.profile.WrongPassphraseException;

/** The profile's vault on disk: opt-in passphrase, what it encrypts, and what a wrong one does. */
class ProfileVaultTest {

    private static final char[] RIGHT = "correct horse battery staple".toCharArray();
    private static final char[] OTHER = "tr0ub4dor&3 ünïcödé".toCharArray();

    @TempDir
    Path temp;

    @Test
    void withoutAPassphraseTheVaultIsThereAtOnceAndSecretsArePlain() throws Exception {
        PassphraseProfileLock lock = new PassphraseProfileLock(temp);
        assertTrue(lock.isUnlocked());
        assertFalse(lock.hasPassphrase());
        ProfileVault vault = lock.vault().orElseThrow();
        byte[] history = vault.secret("history", 32);
        assertEquals(32, history.length);
        assertArrayEquals(history, vault.secret("history", 32), "made once, then kept");
        assertArrayEquals(history, new PassphraseProfileLock(temp).vault().orElseThrow().secret("history", 32));
        Path file = temp.resolve("secrets/history");
        assertArrayEquals(history, Files.readAllBytes(file), "readable without a passphrase");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertThrows(IllegalArgumentException.class, () -> vault.secret("../settings.json", 1));
    }

    @Test
    void aPassphraseEncryptsEverySecretAndTheIdentityKeyAtRest() throws Exception {
        PassphraseProfileLock lock = new PassphraseProfileLock(temp);
        ProfileVault vault = lock.vault().orElseThrow();
        byte[] history = vault.secret("history", 32);
        new Ed25519IdentityService(vault);
        byte[] privateKey = vault.read("identity-key").orElseThrow();

        lock.setPassphrase(null, RIGHT);

        assertTrue(lock.hasPassphrase());
        assertTrue(vault.hasPassphrase());
        assertTrue(lock.isUnlocked(), "a change leaves an unlocked profile unlocked");
        assertArrayEquals(history, vault.secret("history", 32), "the running vault goes on with the same secrets");
        for (Map.Entry<String, byte[]> file : files(temp).entrySet()) {
            assertFalse(contains(file.getValue(), history), file.getKey() + " holds the history key in plain text");
            assertFalse(contains(file.getValue(), privateKey), file.getKey() + " holds the identity key in plain text");
            assertFalse(contains(file.getValue(), Base64.getDecoder().decode(new String(privateKey,
                    StandardCharsets.US_ASCII).lines().findFirst().orElseThrow())), file.getKey() + " holds the raw key");
        }
        assertFalse(Files.exists(temp.resolve("identity.key")));
        assertFalse(Files.exists(temp.resolve("secrets")), "the plain folder is gone");
        JsonObject pointer = JsonParser.parseString(Files.readString(temp.resolve("vault.json"))).getAsJsonObject();
        JsonObject kdf = pointer.getAsJsonObject("passphrase");
        assertEquals("PBKDF2WithHmacSHA256", kdf.get("kdf").getAsString());
        assertTrue(kdf.get("iterations").getAsInt() >= 600_000, kdf.toString());
        Path folder = temp.resolve(pointer.get("folder").getAsString());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(folder)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(folder.resolve("history"))));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(temp.resolve("vault.json"))));

        PassphraseProfileLock restarted = new PassphraseProfileLock(temp);
        assertFalse(restarted.isUnlocked(), "a profile with a passphrase starts locked");
        assertTrue(restarted.hasPassphrase());
        assertTrue(restarted.vault().isEmpty());
        IOException e = assertThrows(IOException.class, () -> new Ed25519IdentityService(temp));
        assertTrue(e.getMessage().contains("passphrase"), e.getMessage());
    }

    @Test
    void aWrongPassphraseIsRefusedClearlyAndChangesNothing() throws Exception {
        PassphraseProfileLock lock = new PassphraseProfileLock(temp);
        new Ed25519IdentityService(lock.vault().orElseThrow());
        lock.vault().orElseThrow().secret("history", 32);
        lock.setPassphrase(null, RIGHT);
        PassphraseProfileLock restarted = new PassphraseProfileLock(temp);
        Map<String, byte[]> before = files(temp);
        Map<String, String> modesBefore = modes(temp);

        WrongPassphraseException wrong = assertThrows(WrongPassphraseException.class,
                () -> restarted.unlock("correct horse battery stapl".toCharArray()));
        assertTrue(wrong.getMessage().startsWith("Wrong passphrase"), wrong.getMessage());
        assertTrue(wrong.getMessage().contains("Nothing was changed"), wrong.getMessage());
        assertThrows(WrongPassphraseException.class, () -> restarted.unlock(new char[0]));
        assertThrows(WrongPassphraseException.class, () -> restarted.setPassphrase(OTHER, new char[0]));
        assertThrows(WrongPassphraseException.class, () -> lock.setPassphrase(OTHER, OTHER),
                "an unlocked profile wants the passphrase for a change too");

        assertFalse(restarted.isUnlocked());
        Map<String, byte[]> after = files(temp);
        assertEquals(before.keySet(), after.keySet());
        before.forEach((name, bytes) -> assertArrayEquals(bytes, after.get(name), name + " changed"));
        assertEquals(modesBefore, modes(temp));
    }

    @Test
    void theRightPassphraseGivesTheSameSecretsAndTheSameIdentity() throws Exception {
        PassphraseProfileLock lock = new PassphraseProfileLock(temp);
        PublicIdentity identity = new Ed25519IdentityService(lock.vault().orElseThrow()).self();
        byte[] history = lock.vault().orElseThrow().secret("history", 32);
        lock.setPassphrase(null, RIGHT);

        PassphraseProfileLock restarted = new PassphraseProfileLock(temp);
        restarted.unlock(RIGHT.clone());
        assertTrue(restarted.isUnlocked());
        ProfileVault vault = restarted.vault().orElseThrow();
        assertArrayEquals(history, vault.secret("history", 32));
        assertEquals(identity, new Ed25519IdentityService(vault).self());
        restarted.unlock("anything: it is unlocked already".toCharArray());
    }

    @Test
    void thePassphraseCanBeChangedAndRemoved() throws Exception {
        PassphraseProfileLock lock = new PassphraseProfileLock(temp);
        PublicIdentity identity = new Ed25519IdentityService(lock.vault().orElseThrow()).self();
        byte[] history = lock.vault().orElseThrow().secret("history", 32);
        lock.setPassphrase(null, RIGHT);

        PassphraseProfileLock locked = new PassphraseProfileLock(temp);
        locked.setPassphrase(RIGHT, OTHER);
        assertFalse(locked.isUnlocked(), "a change leaves a locked profile locked");
        PassphraseProfileLock changed = new PassphraseProfileLock(temp);
        assertThrows(WrongPassphraseException.class, () -> changed.unlock(RIGHT));
        changed.unlock(OTHER);
        assertArrayEquals(history, changed.vault().orElseThrow().secret("history", 32));
        assertEquals(identity, new Ed25519IdentityService(changed.vault().orElseThrow()).self());
        assertEquals(1, secretFolders(temp).size(), "the folder of the old passphrase is deleted");

        changed.setPassphrase(OTHER, new char[0]);
        assertFalse(changed.hasPassphrase());
        PassphraseProfileLock plain = new PassphraseProfileLock(temp);
        assertTrue(plain.isUnlocked(), "without a passphrase again: unlocked at once");
        assertArrayEquals(history, plain.vault().orElseThrow().secret("history", 32));
        assertEquals(identity, new Ed25519IdentityService(temp).self());
        List<Path> folders = secretFolders(temp);
        assertEquals(1, folders.size());
        assertArrayEquals(history, Files.readAllBytes(folders.get(0).resolve("history")), "plain again");
    }

    @Test
    void aPlainKeyFileOfAnEarlierVersionMovesIntoTheVaultUnchanged() throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        PublicIdentity before = PublicIdentity.of(pair.getPublic());
        Files.writeString(temp.resolve("identity.key"),
                Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded()) + "\n" + before.key() + "\n");

        assertEquals(before, new Ed25519IdentityService(temp).self());
        assertFalse(Files.exists(temp.resolve("identity.key")), "the plain file is gone once the vault has the key");
        PassphraseProfileLock lock = new PassphraseProfileLock(temp);
        lock.setPassphrase(null, RIGHT);
        PassphraseProfileLock restarted = new PassphraseProfileLock(temp);
        restarted.unlock(RIGHT);
        assertEquals(before, new Ed25519IdentityService(restarted.vault().orElseThrow()).self());
    }

    @Test
    void aChangeCutShortLeavesTheOldOrTheNewStateComplete() throws Exception {
        Path plain = temp.resolve("plain");
        PassphraseProfileLock lock = new PassphraseProfileLock(plain);
        PublicIdentity identity = new Ed25519IdentityService(lock.vault().orElseThrow()).self();
        byte[] history = lock.vault().orElseThrow().secret("history", 32);
        Path encrypted = temp.resolve("encrypted");
        copy(plain, encrypted);
        new PassphraseProfileLock(encrypted).setPassphrase(null, RIGHT);
        Path newFolder = secretFolders(encrypted).get(0);

        // Cut before the switch: the new folder is half written, vault.json still the old one.
        Path before = temp.resolve("before-switch");
        copy(plain, before);
        Files.createDirectory(before.resolve(newFolder.getFileName()));
        Files.copy(newFolder.resolve("history"), before.resolve(newFolder.getFileName()).resolve("history"));
        Files.writeString(before.resolve("vault.json.1234abcd.tmp"), "{\"format\":1,");
        PassphraseProfileLock old = new PassphraseProfileLock(before);
        assertTrue(old.isUnlocked(), "still the profile without a passphrase");
        assertArrayEquals(history, old.vault().orElseThrow().secret("history", 32));
        assertEquals(identity, new Ed25519IdentityService(before).self());
        assertEquals(List.of(before.resolve("secrets")), secretFolders(before), "the half-written folder is removed");

        // Cut after the switch: vault.json points at the new folder, the old plain one is still there.
        Path after = temp.resolve("after-switch");
        copy(encrypted, after);
        copy(plain.resolve("secrets"), after.resolve("secrets"));
        PassphraseProfileLock now = new PassphraseProfileLock(after);
        assertFalse(now.isUnlocked(), "the new state: a passphrase");
        assertFalse(Files.exists(after.resolve("secrets")), "the plain secrets left behind are removed at start");
        now.unlock(RIGHT);
        assertArrayEquals(history, now.vault().orElseThrow().secret("history", 32));
        assertEquals(identity, new Ed25519IdentityService(now.vault().orElseThrow()).self());
    }

    private static List<Path> secretFolders(Path profile) throws IOException {
        try (Stream<Path> entries = Files.list(profile)) {
            return entries.filter(p -> p.getFileName().toString().startsWith("secrets")).sorted().toList();
        }
    }

    private static Map<String, byte[]> files(Path root) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.filter(Files::isRegularFile).toList()) {
                files.put(root.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        return files;
    }

    private static Map<String, String> modes(Path root) throws IOException {
        Map<String, String> modes = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.toList()) {
                modes.put(root.relativize(p).toString(), PosixFilePermissions.toString(Files.getPosixFilePermissions(p))
                        + " " + Files.getLastModifiedTime(p));
            }
        }
        return modes;
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        return needle.length > 0 && HexFormat.of().formatHex(haystack).contains(HexFormat.of().formatHex(needle));
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : all.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
