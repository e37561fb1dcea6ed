package org.p2pchat.rendezvous.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;

import org.junit.jupiter.api.Test;

/**
 * Names are shown to everyone who lists peers: the service cleans a name of direction overrides
 * and invisible characters when it registers it, on both APIs, as the clients clean what they show.
 */
class DisplayNameTest extends ServerTestCase {

    @Test
    void aLegacyNameWithARightToLeftOverrideIsListedCleanedAndStillAccepted() {
        JsonObject body = new JsonObject();
        body.addProperty("peerId", "user-1700000000000-evil");
        // U+202E shows "gpj.exe" turned around as "exe.jpg"; zero-width characters hide in the name too.
        body.addProperty("name", "ali\u200Dce\u202Egpj.exe\u2066\u200B");
        assertEquals(201, t.postJson("/register", body.toString()).status(), "accepted as the web app's server does");
        JsonObject listed = t.get("/peers").json().getAsJsonArray().get(0).getAsJsonObject();
        assertEquals("alicegpj.exe", listed.get("name").getAsString());
        assertEquals("user-1700000000000-evil", listed.get("peerId").getAsString(), "the id is an address: kept");
    }

    @Test
    void aLegacyNameOfNothingVisibleIsListedEmpty() {
        JsonObject body = new JsonObject();
        body.addProperty("peerId", "p1");
        body.addProperty("name", "\u200B\u202E");
        assertEquals(201, t.postJson("/register", body.toString()).status());
        assertEquals("", t.get("/peers").json().getAsJsonArray().get(0).getAsJsonObject().get("name").getAsString());
    }

    @Test
    void anAuthenticatedNameIsListedCleanedAndOneOfNothingVisibleIsRefused() {
        TestPeer mallory = new TestPeer(t);
        assertEquals(200, mallory.register("b\u200Bob\u202E \uFEFF", true).status());
        JsonObject listed = t.get("/v1/peers").json().getAsJsonObject().getAsJsonArray("peers").get(0)
                .getAsJsonObject();
        assertEquals("bob", listed.get("name").getAsString());
        assertEquals("bob", t.get("/v1/peers/" + mallory.id).json().getAsJsonObject().get("name").getAsString());

        String refused = new TestPeer(t).register("\u2067\u200D", true).error(400);
        assertTrue(refused.contains("no visible character"), refused);
    }
}
