package org.p2pchat.signaling.dht.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.p2pchat.core.signaling.ConnectionProvider;
import org.p2pchat.core.signaling.ProviderCapability;

/** The provider as DS registers it: a connection provider saying what it can do and what the service learns. */
class DhtProviderServiceTest {

    @Test
    void registeredAsAConnectionProviderThatListsConnectsAndTakesRequests() throws Exception {
        ConnectionProvider provider = Registered.provider();
        assertEquals("dht", provider.id());
        assertEquals("DHT network", provider.displayName());
        assertEquals(Set.of(ProviderCapability.PEER_LIST, ProviderCapability.CONNECT, ProviderCapability.INCOMING,
                ProviderCapability.ICE_SERVERS),
                provider.capabilities());
        List<ConnectionProvider> all = Registered.context().getServiceReferences(ConnectionProvider.class, null).stream()
                .map(r -> Registered.context().getService(r)).filter(p -> p.id().equals("dht")).toList();
        assertEquals(List.of(provider), all, "one DHT provider");
    }

    @Test
    void theDescriptionSaysWhatTheServiceLearnsAndThatTheChatStaysDirect() {
        String help = Registered.provider().description();
        for (String point : List.of("your name", "IP address", "who asks to connect with whom", "directly",
                "signed", "unlisted", "web app", "public by nature, so an unlisted client stays off it")) {
            assertTrue(help.contains(point), () -> "description lacks '" + point + "': " + help);
        }
    }
}
