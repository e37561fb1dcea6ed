package org.p2pchat.signaling.dht.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import com.google.gson.Gson;
import com.google.gson.JsonParser;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.p2pchat.core.settings.ServiceEntry;
import org.p2pchat.core.signaling.ProviderStatus;
import org.p2pchat.signaling.dht.DhtSettings;
import org.p2pchat.testing.NetworkIsolation;

/**
 * Which services a link registers with: the run's ({@code --service}) over those of the
 * provider's own settings section, and of those the enabled, usable ones; and the section's JSON.
 */
class DhtSettingsTest {

    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeAll
    static void isolated() {
        NetworkIsolation.requireIsolatedNetwork();
    }

    @AfterEach
    void stop() throws Exception {
        Collections.reverse(open);
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private <C extends AutoCloseable> C opened(C c) {
        open.add(c);
        return c;
    }

    @Test
    void theEnabledUsableServicesOfTheSettingsAreUsedAndTheRunsServicesOverrideThem() throws Exception {
        TestService inSettings = opened(TestService.direct());
        TestService forTheRun = opened(TestService.direct());
        DhtSettings settings = new DhtSettings(java.util.Arrays.asList(
                new ServiceEntry("ours", inSettings.uri().toString(), true, false),
                null,
                new ServiceEntry("off", forTheRun.uri().toString(), false, false),
                new ServiceEntry("not a rendezvous URL", "ftp://" + NetworkIsolation.TEST_ADDRESS, true, false),
                new ServiceEntry("no host", "http://", true, false),
                new ServiceEntry("ours again", inSettings.uri().toString(), true, false)));

        Member fromSettings = opened(Member.withSettings("alice", List.of(), settings));
        assertEquals(List.of(inSettings.uri().toString()), scopes(fromSettings), "the enabled, usable entries, once");
        fromSettings.awaitRegistered();

        Member forRun = opened(Member.withSettings("bob", List.of(forTheRun.uri()), settings));
        assertEquals(List.of(forTheRun.uri().toString()), scopes(forRun), "the run's services, not the settings'");
        forRun.awaitRegistered();
    }

    @Test
    void aProfileWithoutTheSectionUsesTheDefaultLocalService() throws Exception {
        Member member = opened(Member.withSettings("carol", List.of(), null));
        assertEquals(List.of("http://localhost:3479"), scopes(member));
    }

    @Test
    void theSectionIsStoredAsAListOfServices() {
        DhtSettings settings = new DhtSettings(List.of(new ServiceEntry("Local", "http://localhost:3479", true, true)));
        String json = new Gson().toJson(settings);
        assertEquals(JsonParser.parseString("{\"services\":[{\"name\":\"Local\",\"url\":\"http://localhost:3479\","
                + "\"enabled\":true,\"builtIn\":true}]}"), JsonParser.parseString(json));
        assertEquals(settings, new Gson().fromJson(json, DhtSettings.class));
        assertEquals(DhtSettings.defaults(), new Gson().fromJson("{}", DhtSettings.class), "a missing list is the default");
        assertEquals(List.of(URI.create("http://localhost:3479")), DhtSettings.defaults().enabledServices());
    }

    private static List<String> scopes(Member member) {
        return member.link.status().stream().map(ProviderStatus::scope).toList();
    }
}
