package org.p2pchat.files.bt.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;

import bt.data.Storage;
import bt.data.StorageUnit;
import bt.metainfo.Torrent;
import bt.metainfo.TorrentFile;
import bt.net.buffer.ByteBufferView;

/**
 * Bt storage for a one-file torrent at a path we chose (Bt's own storage would derive the path
 * from the peer's torrent name). The sender's side only reads; the receiver's writes a ".part"
 * file. An I/O error (file gone, disk full) is reported to {@code onError} so the transfer stops
 * with a clear message instead of Bt retrying quietly.
 */
final class FileStorage implements Storage {

    private final Unit unit;

    FileStorage(Path file, long capacity, boolean writable, Consumer<IOException> onError) {
        this.unit = new Unit(file, capacity, writable, onError);
    }

    @Override
    public StorageUnit getUnit(Torrent torrent, TorrentFile torrentFile) {
        return unit;
    }

    @Override
    public void flush() {
        unit.flush();
    }

    void close() {
        unit.close();
    }

    private static final class Unit implements StorageUnit {
        private final Path file;
        private final long capacity;
        private final boolean writable;
        private final Consumer<IOException> onError;
        private FileChannel channel; // guarded by this
        /** Once closed, never opened again: Bt may still write after a stop, and must not recreate a removed file. */
        private boolean closed; // guarded by this

        Unit(Path file, long capacity, boolean writable, Consumer<IOException> onError) {
            this.file = file;
            this.capacity = capacity;
            this.writable = writable;
            this.onError = onError;
        }

        private synchronized FileChannel channel() {
            if (closed) {
                throw new UncheckedIOException(new ClosedChannelException());
            }
            if (channel == null || !channel.isOpen()) {
                try {
                    channel = writable
                            ? FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.CREATE)
                            : FileChannel.open(file, StandardOpenOption.READ);
                } catch (IOException e) {
                    throw failed(e);
                }
            }
            return channel;
        }

        private UncheckedIOException failed(IOException e) {
            onError.accept(e);
            return new UncheckedIOException(e.getMessage(), e);
        }

        private void check(long offset, int length) {
            if (offset < 0 || offset > capacity - length) {
                throw new IllegalArgumentException("block " + offset + "+" + length + " outside " + capacity + " bytes");
            }
        }

        @Override
        public int readBlock(ByteBuffer buffer, long offset) {
            check(offset, buffer.remaining());
            try {
                return channel().read(buffer, offset);
            } catch (IOException e) {
                throw failed(e);
            }
        }

        @Override
        public int writeBlock(ByteBuffer buffer, long offset) {
            requireWritable();
            check(offset, buffer.remaining());
            try {
                return channel().write(buffer, offset);
            } catch (IOException e) {
                throw failed(e);
            }
        }

        @Override
        public int writeBlock(ByteBufferView buffer, long offset) {
            requireWritable();
            check(offset, buffer.remaining());
            try {
                return buffer.transferTo(channel(), offset);
            } catch (IOException e) {
                throw failed(e);
            }
        }

        private void requireWritable() {
            if (!writable) {
                throw new IllegalStateException("the file being sent is read-only: " + file.getFileName());
            }
        }

        @Override
        public boolean createEmpty() {
            if (writable) {
                channel();
            }
            return true;
        }

        @Override
        public long capacity() {
            return capacity;
        }

        @Override
        public long size() {
            try {
                return Files.size(file);
            } catch (NoSuchFileException e) {
                return 0;
            } catch (IOException e) {
                throw failed(e);
            }
        }

        synchronized void flush() {
            if (channel != null && channel.isOpen()) {
                try {
                    channel.force(false);
                } catch (IOException e) {
                    throw failed(e);
                }
            }
        }

        @Override
        public synchronized void close() {
            closed = true;
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException e) {
                    // nothing left to save
                }
                channel = null;
            }
        }
    }
}
