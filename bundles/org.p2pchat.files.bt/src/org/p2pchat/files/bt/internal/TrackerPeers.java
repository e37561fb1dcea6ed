package org.p2pchat.files.bt.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import bt.metainfo.TorrentId;
import bt.net.Peer;
import bt.peer.PeerSource;
import bt.tracker.Tracker;
import bt.tracker.TrackerResponse;

/**
 * The peers that the user's trackers know for one torrent, for Bt's peer registry. Each tracker is
 * announced to on a thread of its own: Bt's own tracker source waits for its first announce in
 * the loop that also hands Bt the chat peer, so a dead tracker would hold up every transfer.
 */
final class TrackerPeers implements PeerSource {

    private static final System.Logger LOG = System.getLogger(TrackerPeers.class.getName());

    /** Floor for the tracker's announce interval; also the wait after a failed announce. */
    private static final long MIN_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final List<Announcer> announcers = new ArrayList<>();
    private final Executor executor;

    /** @param tracker makes the client of one tracker URL (on an announce thread: it may resolve a host name) */
    TrackerPeers(TorrentId torrent, List<String> urls, Function<String, Tracker> tracker, Executor executor) {
        this.executor = executor;
        for (String url : urls) {
            announcers.add(new Announcer(torrent, url, tracker));
        }
    }

    @Override
    public boolean update() {
        boolean any = false;
        for (Announcer a : announcers) {
            a.announceIfDue();
            any |= !a.found.isEmpty();
        }
        return any;
    }

    /**
     * Leaves the trackers' swarms (a "stopped" announce, so they stop handing out our address) and
     * closes their clients, on the announce threads: a dead tracker must not hold up a stop.
     */
    void close() {
        for (Announcer a : announcers) {
            try {
                executor.execute(a::leave);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                a.leave();
            }
        }
    }

    /** Hands over what the trackers returned since the last call; Bt removes entries, so the list is a fresh one. */
    @Override
    public Collection<Peer> getPeers() {
        List<Peer> peers = new ArrayList<>();
        for (Announcer a : announcers) {
            Peer p;
            while ((p = a.found.poll()) != null) {
                peers.add(p);
            }
        }
        return peers;
    }

    private final class Announcer {
        final TorrentId torrent;
        final String url;
        final Function<String, Tracker> trackers;
        final Queue<Peer> found = new ConcurrentLinkedQueue<>();
        final AtomicBoolean running = new AtomicBoolean();
        volatile long nextAnnounce = System.nanoTime();
        // Guarded by this: one announce at a time, and leaving waits for the one in flight.
        Tracker tracker;
        boolean started;
        boolean left;
        boolean failureLogged;

        Announcer(TorrentId torrent, String url, Function<String, Tracker> trackers) {
            this.torrent = torrent;
            this.url = url;
            this.trackers = trackers;
        }

        void announceIfDue() {
            if (System.nanoTime() - nextAnnounce >= 0 && running.compareAndSet(false, true)) {
                try {
                    executor.execute(this::announce);
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    running.set(false); // shutting down
                }
            }
        }

        private synchronized void announce() {
            long wait = MIN_INTERVAL_NANOS;
            try {
                if (left) {
                    return;
                }
                if (tracker == null) {
                    tracker = trackers.apply(url);
                }
                TrackerResponse response = started ? tracker.request(torrent).query() : tracker.request(torrent).start();
                if (response.isSuccess()) {
                    started = true;
                    response.getPeers().forEach(found::add);
                    wait = Math.max(wait, TimeUnit.SECONDS.toNanos(response.getInterval()));
                } else {
                    logFailure(response.getError().map(Throwable::toString).orElse(response.getErrorMessage()));
                }
            } catch (RuntimeException e) {
                logFailure(e.toString());
            } finally {
                nextAnnounce = System.nanoTime() + wait;
                running.set(false);
            }
        }

        synchronized void leave() {
            if (left) {
                return;
            }
            left = true;
            if (tracker == null) {
                return;
            }
            try {
                if (started) {
                    tracker.request(torrent).stop();
                }
            } catch (RuntimeException e) {
                // gone: it forgets us in time
            } finally {
                try {
                    tracker.close();
                } catch (IOException | RuntimeException e) {
                    // closed already
                }
            }
        }

        private void logFailure(String why) {
            if (!failureLogged) {
                failureLogged = true;
                LOG.log(System.Logger.Level.WARNING, "announcing to the tracker " + url + " failed (" + why
                        + "); trying again later");
            }
        }
    }
}
