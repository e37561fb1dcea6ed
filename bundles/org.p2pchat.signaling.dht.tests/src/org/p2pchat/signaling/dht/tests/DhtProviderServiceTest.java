package org.p2pchat.signaling.dht.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.p2pchat.core.signaling.DirectorySignalingProvider;
import org.p2pchat.core.signaling.SignalingProvider;

/** The provider as DS registers it: one component under both interfaces, saying what the service learns. */
class DhtProviderServiceTest {

    @Test
    void registeredAsASignalingProviderAndADirectoryProvider() throws Exception {
        DirectorySignalingProvider provider = Registered.provider();
        assertEquals("dht", provider.id());
        assertEquals("DHT network", provider.displayName());
        List<SignalingProvider> all = Registered.context().getServiceReferences(SignalingProvider.class, null).stream()
                .map(r -> Registered.context().getService(r)).toList();
        assertSame(provider, all.stream().filter(p -> p.id().equals("dht")).findFirst().orElseThrow(),
                "the same component under both interfaces");
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
