package org.p2pchat.signaling.manual.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.p2pchat.core.signaling.SignalingProvider;
import org.p2pchat.core.signaling.TextSignalingProvider;

class ManualSignalingServiceTest {

    @Test
    void registeredAsBothProviderInterfacesWithIdManual() throws InvalidSyntaxException {
        TextSignalingProvider text = RegisteredProvider.manual();

        List<SignalingProvider> manual = RegisteredProvider.context().getServiceReferences(SignalingProvider.class, null)
                .stream().map(ref -> RegisteredProvider.context().getService(ref))
                .filter(p -> "manual".equals(p.id())).toList();

        assertEquals(1, manual.size(), "SignalingProvider services with id manual");
        assertSame(text, manual.get(0), "one instance behind both interfaces");
        ServiceReference<TextSignalingProvider> ref = RegisteredProvider.context()
                .getServiceReferences(TextSignalingProvider.class, null).stream()
                .filter(r -> RegisteredProvider.context().getService(r) == text).findFirst().orElseThrow();
        assertEquals(List.of(SignalingProvider.class.getName(), TextSignalingProvider.class.getName()),
                Arrays.asList((String[]) ref.getProperty(Constants.OBJECTCLASS)));
    }

    @Test
    void tellsAPersonWhatToDo() {
        TextSignalingProvider provider = RegisteredProvider.manual();

        assertEquals("manual", provider.id());
        assertEquals("Manual exchange", provider.displayName());
        String help = provider.description();
        for (String point : List.of("offer", "answer", "copies", "pastes", "Nothing goes through a server", "p2pchat1:")) {
            assertTrue(help.contains(point), () -> "description lacks '" + point + "': " + help);
        }
    }
}
