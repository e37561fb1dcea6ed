package org.p2pchat.relay.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.Test;
import org.p2pchat.testing.RelayProcess;

/** The relay serving HTTPS from a PKCS#12 key store (config keys tls-keystore and its password file). */
class RelayTlsTest {

    private static final String PASSWORD = "relay-test-secret";

    @Test
    void servesHttpsWithTheKeyStoresCertificate() throws Exception {
        Path work = Relays.work("tls");
        Path keyStore = work.resolve("relay.p12");
        Path passwordFile = work.resolve("password");
        Files.writeString(passwordFile, PASSWORD + "\n");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-keystore", keyStore.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD,
                "-alias", "relay", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=relay.test",
                "-ext", "SAN=ip:127.0.0.1", "-validity", "2").redirectErrorStream(true).start();
        String keytoolOutput = new String(keytool.getInputStream().readAllBytes());
        assertEquals(0, keytool.waitFor(), keytoolOutput);

        try (RelayProcess relay = Relays.start("--bind", "127.0.0.1", "--port", "0", "--tls-keystore",
                keyStore.toString(), "--tls-keystore-password-file", passwordFile.toString())) {
            InetSocketAddress address = relay.awaitListening(Relays.START_SECONDS);
            assertTrue(relay.stdout().stream().anyMatch(l -> l.contains("(HTTPS with " + keyStore)), relay.output());
            HttpClient https = HttpClient.newBuilder().sslContext(trusting(keyStore))
                    .proxy(HttpClient.Builder.NO_PROXY).connectTimeout(Duration.ofSeconds(5)).build();
            URI health = URI.create("https://127.0.0.1:" + address.getPort() + "/health");
            HttpResponse<String> answer = https.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(10))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, answer.statusCode(), answer.body());
            assertTrue(answer.body().contains("\"healthy\""), answer.body());
            // A client that does not trust the certificate gets no answer.
            HttpClient untrusting = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY)
                    .connectTimeout(Duration.ofSeconds(5)).build();
            assertThrows(IOException.class, () -> untrusting.send(HttpRequest.newBuilder(health)
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()));
            assertTrue(relay.stderr().isEmpty(), relay.output());
        }
    }

    @Test
    void aKeyStoreWithoutItsPasswordFileIsABadConfiguration() throws Exception {
        Path work = Relays.work("tls-half");
        Path keyStore = Files.writeString(work.resolve("relay.p12"), "not read");
        try (RelayProcess relay = Relays.start("--port", "0", "--tls-keystore", keyStore.toString())) {
            assertEquals(2, relay.awaitExit(Relays.START_SECONDS), relay.output());
            assertTrue(relay.stderr().stream().anyMatch(l -> l.contains("--tls-keystore needs "
                    + "tls-keystore-password-file as well")), relay.output());
        }
    }

    private static SSLContext trusting(Path keyStore) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            store.load(in, PASSWORD.toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}
