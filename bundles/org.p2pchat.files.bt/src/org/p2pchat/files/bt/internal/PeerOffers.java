package org.p2pchat.files.bt.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.p2pchat.core.files.TransferStatus.Direction;
import org.p2pchat.core.files.TransferStatus.State;

/**
 * Offers (part of {@link TransferProtocol}): the {@code offer} we send, and a peer's new one,
 * where everything is checked before it is shown: a bad offer is refused with a {@code failed}
 * naming why, and makes no transfer.
 */
final class PeerOffers {

    private PeerOffers() {
    }

    /** Sender: the offer of {@code r}, introducing us as {@code ourName}. */
    static Control.Message offer(TransferStore.Record r, String ourName) {
        Control.Message m = new Control.Message("offer").id(r.id);
        m.name = ourName;
        m.token = r.token;
        m.files = files(r, true);
        return m;
    }

    /** The files of {@code r} as a message lists them; with their types and torrents for an offer. */
    static List<Control.FileInfo> files(TransferStore.Record r, boolean offer) {
        List<Control.FileInfo> files = new ArrayList<>();
        for (TransferStore.FileRecord f : r.files) {
            Control.FileInfo info = new Control.FileInfo();
            info.name = f.name;
            info.size = f.size;
            if (offer) {
                info.type = f.type;
                info.torrent = f.torrent;
            }
            files.add(info);
        }
        return files;
    }

    /** Receiver: a peer's new offer {@code m} on {@code link}. */
    static void offered(TransferProtocol protocol, ControlSession link, Control.Message m) {
        String problem = null;
        List<Control.FileInfo> files = m.files;
        TransferStore.Record r = new TransferStore.Record();
        if (files == null || files.isEmpty() || files.size() > TransferProtocol.MAX_FILES_PER_OFFER || m.token == null) {
            problem = "the offer lists no files";
        } else {
            for (int i = 0; i < files.size() && problem == null; i++) {
                Control.FileInfo f = files.get(i);
                if (f == null || f.size < 0) {
                    problem = "a file in the offer has no size";
                    break;
                }
                TransferStore.FileRecord fr = new TransferStore.FileRecord();
                fr.name = FileNames.sanitize(f.name);
                fr.size = f.size;
                fr.type = f.type == null ? TransferFiles.OCTET_STREAM : Control.clip(f.type);
                if (f.size > 0) {
                    problem = protocol.effects().torrentProblem(f, fr.name);
                    fr.torrent = f.torrent;
                }
                r.files.add(fr);
            }
        }
        r.id = m.id;
        r.token = m.token;
        r.direction = Direction.RECEIVING.name();
        r.state = State.OFFERED.name();
        Transfer t = null;
        if (problem == null) {
            try {
                t = new Transfer(r);
            } catch (RuntimeException e) {
                problem = "a torrent in the offer is not valid";
            }
        }
        if (problem != null) {
            Control.Message fail = new Control.Message("failed").id(m.id);
            fail.problem = "Your offer was refused: " + problem + ".";
            try {
                link.send(fail);
            } catch (IOException e) {
                // gone
            }
            return;
        }
        r.created = System.currentTimeMillis();
        if (m.name != null) {
            link.peerName = Control.peerName(m.name);
        }
        r.peerName = link.peerName;
        r.peerKey = link.verifiedKey();
        t.link = link;
        protocol.add(t);
        try {
            link.send(new Control.Message("offered").id(r.id));
        } catch (IOException e) {
            // the sender learns of it on reconnect
        }
        protocol.effects().changed(t);
    }
}
