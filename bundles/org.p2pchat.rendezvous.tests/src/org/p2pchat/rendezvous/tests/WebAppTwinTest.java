package org.p2pchat.rendezvous.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.google.gson.JsonElement;

/**
 * Our listed clients are on the web app's directory too, as "twins" that name the key they are
 * registered with on {@code /v1}: a twin is listed only while that key is registered and listed
 * there, and only the newest twin of a key, so web app users (and our clients, which list both)
 * never see a ghost of a client that left, crashed, went unlisted or started again.
 */
class WebAppTwinTest extends ServerTestCase {

    private void twin(String peerId, String name, TestPeer of) {
        assertEquals(201, t.postJson("/register", "{\"peerId\":\"" + peerId + "\",\"name\":\"" + name
                + "\",\"twinOf\":\"" + of.id + "\"}").status());
    }

    private List<String> listed() {
        List<String> ids = new ArrayList<>();
        for (JsonElement e : t.get("/peers").json().getAsJsonArray()) {
            ids.add(e.getAsJsonObject().get("peerId").getAsString());
        }
        return ids;
    }

    @Test
    void aTwinIsListedWhileItsClientIsListedAndOnlyTheNewestOne() {
        TestPeer carol = new TestPeer(t);
        carol.register("carol", true);
        twin("user-1700000000000-carol", "carol", carol);
        assertEquals(List.of("user-1700000000000-carol"), listed());

        t.advance(1000);
        twin("user-1700000001000-carol", "carol", carol); // her client started again
        assertEquals(List.of("user-1700000001000-carol"), listed(), "the older twin is gone");

        carol.register("carol", false);
        assertEquals(List.of(), listed(), "unlisted on /v1: not listed for web app users either");
        carol.register("carol", true);
        assertEquals(List.of("user-1700000001000-carol"), listed());

        t.register("user-1700000002000-dave", "dave"); // a web app user, who names no key
        carol.unregister();
        assertEquals(List.of("user-1700000002000-dave"), listed(),
                "carol left: her twin is not listed, although its own registration has not expired");
    }

    @Test
    void aTwinOfAClientWhoseRegistrationExpiredIsNotListed() {
        TestPeer carol = new TestPeer(t);
        carol.register("carol", true);
        twin("user-1700000000000-carol", "carol", carol);
        t.advance(100_000);
        twin("user-1700000000000-carol", "carol", carol); // the twin is refreshed; /v1 is not (the client crashed)
        t.advance(21_000);
        assertEquals(List.of(), listed(), "carol's /v1 registration expired: her twin is a ghost");
    }

    @Test
    void aTwinNamingAnUnknownKeyIsNotListedAndOtherMembersAreIgnoredAsBefore() {
        TestPeer nobody = new TestPeer(t);
        twin("user-1700000000000-mallory", "mallory", nobody);
        assertEquals(201, t.postJson("/register", "{\"peerId\":\"user-1700000000000-erin\",\"name\":\"erin\","
                + "\"twinOf\":42}").status());
        assertEquals(List.of("user-1700000000000-erin"), listed(), "a twinOf that is no string is ignored");
    }
}
