package org.p2pchat.ui.tests;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.p2pchat.core.PeerSession;
import org.p2pchat.core.files.FileTransferService;
import org.p2pchat.core.files.TransferFile;
import org.p2pchat.core.files.TransferListener;
import org.p2pchat.core.files.TransferStatus;

/** A transfer engine whose statuses the test publishes and which records what the window asks of it. */
final class RecordingFiles implements FileTransferService {

    final List<TransferListener> listeners = new CopyOnWriteArrayList<>();
    final List<String> calls = new CopyOnWriteArrayList<>();
    /** What {@link #transfers} lists, as the test sets it. */
    final List<TransferStatus> listed = new CopyOnWriteArrayList<>();
    /** What {@link #files} says of a transfer, as the test sets it. */
    final Map<String, List<TransferFile>> fileLists = new ConcurrentHashMap<>();

    /** The newest status published of each transfer, by id (what {@link #transfers()} lists). */
    final java.util.Map<String, TransferStatus> published = new java.util.concurrent.ConcurrentHashMap<>();

    void publish(TransferStatus status) {
        published.put(status.id(), status);
        listeners.forEach(l -> l.transferChanged(status));
    }

    @Override
    public boolean supports(PeerSession s) {
        return true;
    }

    @Override
    public TransferStatus offer(PeerSession s, List<Path> files) {
        calls.add("offer " + files);
        return new TransferStatus("offered-" + calls.size(), "bob", TransferStatus.Direction.SENDING,
                files.get(0).getFileName().toString(), 1, 0, 0, TransferStatus.State.WAITING_FOR_PEER, null);
    }

    @Override
    public void accept(String transferId, Path directory) {
        calls.add("accept " + transferId + " " + directory);
    }

    @Override
    public void decline(String transferId) {
        calls.add("decline " + transferId);
    }

    @Override
    public void pause(String transferId) {
        calls.add("pause " + transferId);
    }

    @Override
    public void resume(String transferId) {
        calls.add("resume " + transferId);
    }

    @Override
    public void cancel(String transferId) {
        calls.add("cancel " + transferId);
    }

    @Override
    public List<TransferStatus> transfers() {
        // What the test listed, then the newest status of every transfer published and not listed.
        List<TransferStatus> all = new java.util.ArrayList<>(listed);
        published.values().stream().filter(p -> listed.stream().noneMatch(l -> l.id().equals(p.id()))).forEach(all::add);
        return all;
    }

    @Override
    public List<TransferFile> files(String transferId) {
        return fileLists.getOrDefault(transferId, List.of());
    }

    @Override
    public void addListener(TransferListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeListener(TransferListener listener) {
        listeners.remove(listener);
    }
}
