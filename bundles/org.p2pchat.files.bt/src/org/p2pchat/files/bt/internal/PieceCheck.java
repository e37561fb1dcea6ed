package org.p2pchat.files.bt.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Iterator;

import bt.metainfo.Torrent;

/**
 * Checks a finished file against its torrent once more, reading it back from disk, before it is
 * called done: Bt checked each piece as it arrived, this proves what is on disk now.
 */
final class PieceCheck {

    private PieceCheck() {
    }

    /** @return null if every piece matches, else what is wrong */
    static String verify(Path file, Torrent torrent) throws IOException {
        long size = torrent.getSize();
        long pieceSize = torrent.getChunkSize();
        MessageDigest sha1;
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            if (in.size() != size) {
                return "it has " + in.size() + " bytes instead of " + size;
            }
            ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
            Iterator<byte[]> hashes = torrent.getChunkHashes().iterator();
            long position = 0;
            int piece = 0;
            while (position < size) {
                long end = Math.min(size, position + pieceSize);
                while (position < end) {
                    buffer.clear().limit((int) Math.min(buffer.capacity(), end - position));
                    int n = in.read(buffer, position);
                    if (n < 0) {
                        return "it ends early";
                    }
                    buffer.flip();
                    sha1.update(buffer);
                    position += n;
                }
                if (!hashes.hasNext() || !Arrays.equals(hashes.next(), sha1.digest())) {
                    return "piece " + piece + " does not match";
                }
                piece++;
            }
        }
        return null;
    }
}
