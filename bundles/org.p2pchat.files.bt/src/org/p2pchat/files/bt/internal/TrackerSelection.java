package org.p2pchat.files.bt.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.p2pchat.core.settings.ServiceEntry;

/**
 * The selected trackers our Bt can announce to: udp:// ones (Bt has a client for no other
 * kind). The others (the web app's wss:// trackers, http) are left out, and named in the log
 * once, so a transfer never fails for them. Peers found through a tracker exchange data as
 * plain BitTorrent: unencrypted, unlike the chat peer's bridge.
 */
final class TrackerSelection implements Supplier<List<String>> {

    private static final System.Logger LOG = System.getLogger(TrackerSelection.class.getName());

    private static final String UDP_TRACKER_PREFIX = "udp://";

    /** The user's trackers, as the settings hold them now. */
    private final Supplier<List<ServiceEntry>> trackers;
    /** Selected trackers our engine cannot use, named in the log once. */
    private final Set<String> unusableTrackersLogged = ConcurrentHashMap.newKeySet();

    TrackerSelection(Supplier<List<ServiceEntry>> trackers) {
        this.trackers = trackers;
    }

    /** The usable ones now. */
    @Override
    public List<String> get() {
        List<String> udp = new ArrayList<>();
        for (ServiceEntry e : trackers.get()) {
            if (!e.enabled() || e.problem().isPresent()) {
                continue;
            }
            String url = e.url();
            if (url.regionMatches(true, 0, UDP_TRACKER_PREFIX, 0, UDP_TRACKER_PREFIX.length())) {
                udp.add(UDP_TRACKER_PREFIX + url.substring(UDP_TRACKER_PREFIX.length())); // Bt wants it lower case
            } else if (unusableTrackersLogged.add(url)) {
                LOG.log(System.Logger.Level.WARNING, "the tracker " + url + " is not used for file transfers; "
                        + "only udp:// trackers are");
            }
        }
        return udp;
    }
}
