package org.p2pchat.signaling.dht.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.p2pchat.core.identity.PublicIdentity;
import org.p2pchat.core.signaling.PeerAddress;
import org.p2pchat.rendezvous.auth.SignedRequest;
import org.p2pchat.testing.NetworkIsolation;

/**
 * The provider's peer list against a real service whose directory is larger than one page:
 * it follows the pages to the end, and stops at 2,000 peers.
 */
class PagedDirectoryTest {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private TestService service;
    private Member alice;

    @BeforeAll
    static void isolated() {
        NetworkIsolation.requireIsolatedNetwork();
    }

    @AfterEach
    void stop() {
        if (alice != null) {
            alice.close();
        }
        if (service != null) {
            service.close();
        }
        http.close();
    }

    @Test
    void thePeerListFollowsThePagesToTheEndAndStopsAt2000Peers() throws Exception {
        service = TestService.direct();
        alice = Member.registered("alice", service.uri());
        alice.awaitRegistered();
        Set<String> listed = new HashSet<>(registerListed(1_200));

        List<PeerAddress> peers = alice.link.peers().get(Await.SECONDS, TimeUnit.SECONDS);
        assertEquals(1_200, peers.size(), "more than two pages of 500, each peer once");
        assertEquals(listed, ids(peers));

        listed.addAll(registerListed(900));
        listed.add(alice.id());
        List<String> first2000 = listed.stream().sorted().limit(2_000).toList();
        Set<String> expected = new HashSet<>(first2000);
        expected.remove(alice.id()); // not ourselves
        peers = alice.link.peers().get(Await.SECONDS, TimeUnit.SECONDS);
        assertEquals(expected, ids(peers), "the first 2,000 in id order, less ourselves");
    }

    private static Set<String> ids(List<PeerAddress> peers) {
        Set<String> ids = new HashSet<>();
        peers.forEach(p -> ids.add(p.id()));
        return ids;
    }

    /** Registers {@code count} listed peers of fresh keys straight with the service (16 at a time); returns their ids. */
    private List<String> registerListed(int count) throws Exception {
        List<String> ids = new ArrayList<>();
        List<CompletableFuture<HttpResponse<String>>> replies = new ArrayList<>();
        Semaphore inFlight = new Semaphore(16);
        for (int i = 0; i < count; i++) {
            KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            String id = PublicIdentity.of(keys.getPublic()).key();
            ids.add(id);
            byte[] body = ("{\"name\":\"crowd " + i + "\",\"listed\":true}").getBytes(StandardCharsets.UTF_8);
            HttpRequest request = HttpRequest.newBuilder(URI.create(service.uri() + "/v1/register"))
                    .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                    .header("Authorization", authorization(keys, id, service.server().serviceId(), "POST",
                            "/v1/register", body))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
            inFlight.acquire();
            replies.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                    .whenComplete((reply, failure) -> inFlight.release()));
        }
        for (CompletableFuture<HttpResponse<String>> reply : replies) {
            HttpResponse<String> r = reply.get(Await.SECONDS, TimeUnit.SECONDS);
            assertEquals(200, r.statusCode(), r.body());
        }
        return ids;
    }

    private static String authorization(KeyPair keys, String id, String serviceId, String method, String path,
            byte[] body) throws GeneralSecurityException {
        byte[] nonceBytes = new byte[16];
        RANDOM.nextBytes(nonceBytes);
        String nonce = Base64.getUrlEncoder().withoutPadding().encodeToString(nonceBytes);
        long ts = System.currentTimeMillis();
        Signature signer = Signature.getInstance("Ed25519");
        signer.initSign(keys.getPrivate());
        signer.update(SignedRequest.signedBytes(serviceId, method, path, ts, nonce, body));
        String sig = Base64.getUrlEncoder().withoutPadding().encodeToString(signer.sign());
        return new SignedRequest(PublicIdentity.of(keys.getPublic()), serviceId, ts, nonce, sig).toHeader();
    }
}
