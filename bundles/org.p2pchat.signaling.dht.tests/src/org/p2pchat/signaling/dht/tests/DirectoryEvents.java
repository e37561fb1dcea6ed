package org.p2pchat.signaling.dht.tests;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

import org.p2pchat.core.signaling.DirectoryListener;
import org.p2pchat.core.signaling.IncomingRequest;
import org.p2pchat.core.signaling.ServiceStatus;

/** Everything a membership reported, in arrival order. */
final class DirectoryEvents implements DirectoryListener {

    final BlockingQueue<IncomingRequest> incoming = new LinkedBlockingQueue<>();
    final BlockingQueue<IncomingRequest> withdrawn = new LinkedBlockingQueue<>();
    final BlockingQueue<ServiceStatus> statuses = new LinkedBlockingQueue<>();

    @Override
    public void incoming(IncomingRequest request) {
        incoming.add(request);
    }

    @Override
    public void withdrawn(IncomingRequest request) {
        withdrawn.add(request);
    }

    @Override
    public void serviceChanged(ServiceStatus status) {
        statuses.add(status);
    }

    ServiceStatus awaitState(ServiceStatus.State state) throws InterruptedException {
        return Await.next(statuses, s -> s.state() == state, "service state " + state);
    }

    ServiceStatus awaitState(ServiceStatus.State state, long seconds) throws InterruptedException {
        return Await.next(statuses, s -> s.state() == state, "service state " + state, seconds);
    }

    IncomingRequest nextIncoming() throws InterruptedException {
        return Await.next(incoming, r -> true, "incoming request");
    }
}
