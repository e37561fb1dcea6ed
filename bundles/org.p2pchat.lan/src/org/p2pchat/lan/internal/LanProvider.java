package org.p2pchat.lan.internal;

import java.util.EnumSet;
import java.util.Set;

import org.osgi.service.component.annotations.Component;
import org.p2pchat.core.signaling.ConnectionProvider;
import org.p2pchat.core.signaling.ProviderCapability;
import org.p2pchat.core.signaling.ProviderContext;
import org.p2pchat.core.signaling.ProviderLink;
import org.p2pchat.lan.LanSettings;

/** Finds other clients on the local network by signed multicast announcements; no server. */
@Component(service = ConnectionProvider.class)
public final class LanProvider implements ConnectionProvider {

    @Override
    public String id() {
        return LanSettings.SECTION;
    }

    @Override
    public String displayName() {
        return "Local network";
    }

    @Override
    public String description() {
        return "Finds other P2P Chat clients on your local network without any server: each client announces its name,"
                + " identity key and an address on the network to everyone on it (multicast group "
                + LanSettings.DEFAULT_GROUP + ", UDP port " + LanSettings.DEFAULT_PORT + "), signed with its key, and"
                + " offers and answers go directly to that address. Everyone on the network sees that you are here;"
                + " listen-only mode (in this method's settings) stops announcing, so you still see others and can ask"
                + " them, but nobody lists you or can ask you.";
    }

    @Override
    public Set<ProviderCapability> capabilities() {
        return EnumSet.of(ProviderCapability.PEER_LIST, ProviderCapability.CONNECT, ProviderCapability.INCOMING,
                ProviderCapability.SERVERLESS);
    }

    @Override
    public ProviderLink start(ProviderContext context) {
        LanSettings settings = context.settings().read(LanSettings.class, LanSettings::defaults);
        return new LanLink(context, settings, LanLink.Timings.DEFAULT);
    }
}
