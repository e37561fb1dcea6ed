package org.p2pchat.rendezvous.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.p2pchat.rendezvous.tests.TestServer.Reply;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/** {@code GET /v1/peers?limit=N&after=ID}: the listed peers page by page in id order. */
class PeerPagingTest extends ServerTestCase {

    /** One answer of {@code GET /v1/peers}: the ids in it and its {@code next} (null on the last page). */
    private record Page(List<String> ids, String next) {
    }

    private Page page(String query) {
        Reply reply = t.get("/v1/peers" + (query.isEmpty() ? "" : "?" + query));
        assertEquals(200, reply.status(), reply.body());
        JsonObject answer = reply.json().getAsJsonObject();
        assertEquals(2, answer.size(), reply.body());
        List<String> ids = new ArrayList<>();
        for (JsonElement peer : answer.getAsJsonArray("peers")) {
            JsonObject p = peer.getAsJsonObject();
            assertEquals(3, p.size(), reply.body());
            assertTrue(p.get("name").getAsString().startsWith("peer "), reply.body());
            assertTrue(p.get("lastSeen").getAsLong() >= TestServer.T0, reply.body());
            ids.add(p.get("id").getAsString());
        }
        JsonElement next = answer.get("next");
        return new Page(ids, next.isJsonNull() ? null : next.getAsString());
    }

    /** Follows {@code next} from the first page; checks each page's size and {@code next}; returns all ids. */
    private List<String> walk(int limit) {
        List<String> all = new ArrayList<>();
        String after = null;
        for (int pages = 1;; pages++) {
            assertTrue(pages < 1000, "the walk ends");
            Page page = page("limit=" + limit + (after == null ? "" : "&after=" + after));
            all.addAll(page.ids());
            if (page.next() == null) {
                assertTrue(page.ids().size() <= limit, page.toString());
                return all;
            }
            assertEquals(limit, page.ids().size(), "a page with more to come is full");
            assertEquals(page.ids().getLast(), page.next(), "next is the last id of the page");
            after = page.next();
        }
    }

    /** {@code count} peers, registered (listed) in random order, sorted by id. */
    private List<TestPeer> listed(int count) {
        List<TestPeer> peers = IntStream.range(0, count).mapToObj(i -> new TestPeer(t)).toList();
        for (TestPeer peer : peers) {
            assertEquals(200, peer.register("peer " + peer.id.substring(peer.id.length() - 6), true).status());
        }
        return peers.stream().sorted(Comparator.comparing(p -> p.id)).toList();
    }

    private static List<String> ids(List<TestPeer> peers) {
        return peers.stream().map(p -> p.id).toList();
    }

    @Test
    void pagesWalkEveryListedPeerOnceInIdOrder() {
        List<String> expected = ids(listed(23));
        for (int i = 0; i < 4; i++) {
            assertEquals(200, new TestPeer(t).register("unlisted", false).status());
        }
        for (int limit : new int[] {1, 2, 5, 7, 22, 23, 24, 1000}) {
            assertEquals(expected, walk(limit), "limit=" + limit);
        }
        assertEquals(new Page(expected, null), page("limit=23"), "exactly one full page: no next");
        assertEquals(new Page(expected.subList(0, 22), expected.get(21)), page("limit=22"));
    }

    @Test
    void theDefaultPageHolds200PeersAndOnePageAtMost1000() {
        List<String> expected = ids(listed(230));
        assertEquals(new Page(expected.subList(0, 200), expected.get(199)), page(""));
        assertEquals(new Page(expected.subList(200, 230), null), page("after=" + expected.get(199)));
        assertEquals(new Page(expected, null), page("limit=1000"));
        assertEquals(new Page(expected.subList(0, 200), expected.get(199)), page("after=-&limit=200"),
                "the parameters in either order");
    }

    @Test
    void afterIsExclusiveAndNeedNotBeAListedPeer() {
        List<TestPeer> peers = listed(6);
        List<String> expected = ids(peers);
        assertEquals(new Page(expected.subList(3, 5), expected.get(4)), page("limit=2&after=" + expected.get(2)));
        assertEquals(new Page(expected.subList(3, 6), null), page("after=" + expected.get(2) + "-"),
                "an id between two peers");
        assertEquals(new Page(expected, null), page("after=-"), "before the first");
        assertEquals(new Page(List.of(), null), page("after=" + expected.get(5)), "after the last");
        assertEquals(new Page(List.of(), null), page("after=zzz"));
        assertEquals(new Page(expected.subList(3, 6), null), page("after=" + percentEncoded(expected.get(2))));

        peers.get(3).unregister();
        assertEquals(new Page(List.of(expected.get(4)), expected.get(4)), page("limit=1&after=" + expected.get(3)),
                "from a peer that left meanwhile");
    }

    @Test
    void unlistedExpiredAndRemovedPeersNeverAppear() {
        List<TestPeer> p = listed(6);
        t.advance(60_000);
        p.get(0).register("peer 0", true);
        p.get(1).register("peer 1", false); // listed no more
        p.get(3).register("peer 3", true);
        p.get(4).unregister();
        t.advance(60_001); // p2 and p5 expire (not swept yet)
        List<String> alive = List.of(p.get(0).id, p.get(3).id);
        assertEquals(alive, walk(1));
        assertEquals(new Page(alive, null), page("limit=2"), "an expired peer after a full page is not more to come");
        assertEquals(new Page(List.of(), null), page("after=" + p.get(3).id));
        assertEquals(200, t.get("/v1/peers/" + p.get(1).id).status(), "unlisted, still found by id");
        assertEquals(404, t.get("/v1/peers/" + p.get(2).id).status());

        t.server.sweep();
        assertEquals(alive, walk(2));
        p.get(5).register("peer 5", true);
        p.get(1).register("peer 1", true);
        p.get(4).register("peer 4", true);
        assertEquals(ids(List.of(p.get(0), p.get(1), p.get(3), p.get(4), p.get(5))), walk(2),
                "back after registering again");
        p.get(4).register("peer 4", false);
        p.get(0).unregister();
        assertEquals(ids(List.of(p.get(1), p.get(3), p.get(5))), walk(2));
    }

    @Test
    void aPageShowsTheNameAndLastSeenOfNow() {
        TestPeer alice = listed(1).getFirst();
        t.advance(5_000);
        alice.register("alice", true);
        t.get("/v1/peers?limit=1").assertIs(200, "{\"peers\":[{\"id\":\"" + alice.id + "\",\"name\":\"alice\","
                + "\"lastSeen\":" + (TestServer.T0 + 5_000) + "}],\"next\":null}");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "limit=0              | limit must be a whole number from 1 to 1000, was \"0\"",
        "limit=1001           | limit must be a whole number from 1 to 1000",
        "limit=-1             | limit must be a whole number",
        "limit=abc            | limit must be a whole number",
        "limit=               | limit must be a whole number",
        "limit=1.5            | limit must be a whole number",
        "limit=007            | limit must be a whole number",
        "limit=%31            | limit must be a whole number",
        "limit=1&limit=2      | the query parameters of /v1/peers are limit=<1..1000> and after=<id>, each at most once",
        "after=a&after=b      | each at most once",
        "after=               | after must be a peer id",
        "after=%C3%28         | after is not percent-encoded UTF-8",
        "x=1                  | the query parameters of /v1/peers are limit",
        "limit=5&x=2          | the query was \"limit=5&x=2\"",
        "LIMIT=5              | the query parameters of /v1/peers are limit",
        "limit=5&             | the query parameters of /v1/peers are limit",
        "&                    | the query parameters of /v1/peers are limit",
        "limit                | the query parameters of /v1/peers are limit",
    })
    void badQueriesAre400WithAReason(String query, String reason) {
        String refusal = t.get("/v1/peers?" + query).error(400);
        assertTrue(refusal.contains(reason), () -> "reason \"" + refusal + "\" should mention " + reason);
    }

    /** Every character as %XX: the same id, spelt differently on the wire. */
    private static String percentEncoded(String id) {
        StringBuilder encoded = new StringBuilder();
        for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
            encoded.append(String.format("%%%02X", b));
        }
        return encoded.toString();
    }
}
