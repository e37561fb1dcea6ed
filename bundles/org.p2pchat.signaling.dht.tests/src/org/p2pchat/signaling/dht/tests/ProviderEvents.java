package org.p2pchat.signaling.dht.tests;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

import org.p2pchat.core.signaling.InboundOffer;
import org.p2pchat.core.signaling.ProviderCallback;
import org.p2pchat.core.signaling.ProviderStatus;

/** Everything a provider link reported, in arrival order. */
final class ProviderEvents implements ProviderCallback {

    final BlockingQueue<InboundOffer> offered = new LinkedBlockingQueue<>();
    final BlockingQueue<InboundOffer> withdrawn = new LinkedBlockingQueue<>();
    /** Each service's status as it changed (the entries of every list the link reported). */
    final BlockingQueue<ProviderStatus> statuses = new LinkedBlockingQueue<>();

    @Override
    public void offered(InboundOffer offer) {
        offered.add(offer);
    }

    @Override
    public void withdrawn(InboundOffer offer) {
        withdrawn.add(offer);
    }

    @Override
    public void statusChanged(List<ProviderStatus> status) {
        statuses.addAll(status);
    }

    ProviderStatus awaitState(ProviderStatus.State state) throws InterruptedException {
        return Await.next(statuses, s -> s.state() == state, "service state " + state);
    }

    ProviderStatus awaitState(ProviderStatus.State state, long seconds) throws InterruptedException {
        return Await.next(statuses, s -> s.state() == state, "service state " + state, seconds);
    }

    InboundOffer nextOffered() throws InterruptedException {
        return Await.next(offered, r -> true, "offer");
    }
}
