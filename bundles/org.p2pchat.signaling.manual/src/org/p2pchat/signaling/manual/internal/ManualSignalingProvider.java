package org.p2pchat.signaling.manual.internal;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.osgi.service.component.annotations.Component;
import org.p2pchat.core.signaling.ConnectionProvider;
import org.p2pchat.core.signaling.PasteCodec;
import org.p2pchat.core.signaling.ProviderCapability;
import org.p2pchat.core.signaling.ProviderContext;
import org.p2pchat.core.signaling.ProviderLink;
import org.p2pchat.core.signaling.ProviderStatus;

/**
 * Connecting by copy and paste: each side shows its description as text, and the person carries
 * it to the peer by any means ({@link ManualPasteCodec}). Nothing runs in the background, so a
 * started link holds no state and has no standing to report.
 */
@Component(service = ConnectionProvider.class)
public final class ManualSignalingProvider implements ConnectionProvider {

    public static final String ID = "manual";

    /** Real descriptions are a few KiB; this refuses a mistaken paste of a whole file cheaply. */
    public static final int MAX_TEXT_CHARS = ManualPasteCodec.MAX_TEXT_CHARS;

    static final String DESCRIPTION = "Connect by carrying text between you and your peer over any "
            + "channel you already use: a chat app, e-mail, a phone call. Whoever starts copies the offer "
            + "this client shows and sends it; the peer pastes it, then sends back the answer their client "
            + "shows, which the starter pastes. Nothing goes through a server of any kind for this exchange. "
            + "The text holds your network addresses and the fingerprint of the key that encrypts the "
            + "connection, so anyone who could change it on its way could listen in: use a channel you trust. "
            + "The short " + CompactForm.PREFIX + " code works between P2P Chat clients; the {\"type\":...} "
            + "form also works with the P2P Chat web app.";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String displayName() {
        return "Manual exchange";
    }

    @Override
    public String description() {
        return DESCRIPTION;
    }

    @Override
    public Set<ProviderCapability> capabilities() {
        return Set.of(ProviderCapability.PASTE);
    }

    @Override
    public ProviderLink start(ProviderContext context) {
        Objects.requireNonNull(context, "context");
        return new ProviderLink() {
            @Override
            public List<ProviderStatus> status() {
                return List.of();
            }

            @Override
            public Optional<PasteCodec> paste() {
                return Optional.of(ManualPasteCodec.INSTANCE);
            }

            @Override
            public void close() {
            }
        };
    }
}
