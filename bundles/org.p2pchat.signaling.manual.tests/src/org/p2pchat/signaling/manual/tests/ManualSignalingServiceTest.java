package org.p2pchat.signaling.manual.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.p2pchat.core.signaling.ConnectionProvider;
import org.p2pchat.core.signaling.ProviderCapability;

class ManualSignalingServiceTest {

    @Test
    void registeredOnceAsAConnectionProviderWithIdManualThatPastes() throws InvalidSyntaxException {
        ConnectionProvider provider = RegisteredProvider.manual();

        List<ServiceReference<ConnectionProvider>> manual = RegisteredProvider.context()
                .getServiceReferences(ConnectionProvider.class, null).stream()
                .filter(ref -> "manual".equals(RegisteredProvider.context().getService(ref).id())).toList();

        assertEquals(1, manual.size(), "ConnectionProvider services with id manual");
        assertEquals(List.of(ConnectionProvider.class.getName()),
                Arrays.asList((String[]) manual.get(0).getProperty(Constants.OBJECTCLASS)));
        assertEquals(Set.of(ProviderCapability.PASTE), provider.capabilities());
        assertTrue(RegisteredProvider.paste().codec() != null);
    }

    @Test
    void tellsAPersonWhatToDo() {
        ConnectionProvider provider = RegisteredProvider.manual();

        assertEquals("manual", provider.id());
        assertEquals("Manual exchange", provider.displayName());
        String help = provider.description();
        for (String point : List.of("offer", "answer", "copies", "pastes", "Nothing goes through a server", "p2pchat1:")) {
            assertTrue(help.contains(point), () -> "description lacks '" + point + "': " + help);
        }
    }
}
