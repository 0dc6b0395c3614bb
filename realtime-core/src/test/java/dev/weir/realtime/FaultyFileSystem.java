package dev.weir.realtime;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real file system with switchable faults: a full disk (writes store half their bytes then fail
 * with ENOSPC), failing renames, and a gate that holds the first fsync until released (to observe
 * group commit).
 */
final class FaultyFileSystem implements StoreFileSystem {
  volatile boolean diskFull;
  volatile boolean failMoves;

  /** When non-negative: that many more renames succeed, then every rename fails. */
  final AtomicInteger movesBeforeFailure = new AtomicInteger(-1);

  volatile CountDownLatch holdFirstForce;
  final AtomicInteger writes = new AtomicInteger();
  final AtomicInteger forces = new AtomicInteger();

  /** That many more file fsyncs fail with an I/O error. */
  final AtomicInteger failForces = new AtomicInteger();

  /** File creations and directory fsyncs, in order ("create <path>", "syncdir <dir>"). */
  final java.util.List<String> ops = new java.util.concurrent.CopyOnWriteArrayList<>();

  @Override
  public void syncDirectory(Path dir) throws IOException {
    ops.add("syncdir " + dir);
    StoreFileSystem.super.syncDirectory(dir);
  }

  @Override
  public FileChannel open(Path path, OpenOption... options) throws IOException {
    if (diskFull
        && java.util.Arrays.asList(options).contains(java.nio.file.StandardOpenOption.CREATE_NEW)) {
      throw new IOException("No space left on device");
    }
    java.util.List<OpenOption> o = java.util.Arrays.asList(options);
    if ((o.contains(java.nio.file.StandardOpenOption.CREATE_NEW)
            || o.contains(java.nio.file.StandardOpenOption.CREATE))
        && !java.nio.file.Files.exists(path)) {
      ops.add("create " + path);
    }
    return new Channel(FileChannel.open(path, options));
  }

  @Override
  public void move(Path from, Path to) throws IOException {
    if (movesBeforeFailure.get() >= 0 && movesBeforeFailure.getAndDecrement() <= 0) {
      failMoves = true;
    }
    if (failMoves) {
      throw new IOException("injected rename failure");
    }
    StoreFileSystem.super.move(from, to);
  }

  private final class Channel extends FileChannel {
    private final FileChannel d;

    Channel(FileChannel d) {
      this.d = d;
    }

    private int guardedWrite(ByteBuffer src, long position) throws IOException {
      writes.incrementAndGet();
      if (diskFull) {
        int half = src.remaining() / 2;
        if (half > 0) {
          ByteBuffer part = src.duplicate();
          part.limit(part.position() + half);
          d.write(part, position);
        }
        throw new IOException("No space left on device");
      }
      return d.write(src, position);
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
      return d.read(dst);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
      return d.read(dsts, offset, length);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
      return guardedWrite(src, d.position());
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
      throw new UnsupportedOperationException();
    }

    @Override
    public long position() throws IOException {
      return d.position();
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
      d.position(newPosition);
      return this;
    }

    @Override
    public long size() throws IOException {
      return d.size();
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
      d.truncate(size);
      return this;
    }

    @Override
    public void force(boolean metaData) throws IOException {
      CountDownLatch gate = holdFirstForce;
      if (gate != null) {
        holdFirstForce = null;
        try {
          gate.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      forces.incrementAndGet();
      if (failForces.get() > 0 && failForces.getAndDecrement() > 0) {
        throw new IOException("injected fsync failure (EIO)");
      }
      d.force(metaData);
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target)
        throws IOException {
      return d.transferTo(position, count, target);
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count)
        throws IOException {
      return d.transferFrom(src, position, count);
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
      return d.read(dst, position);
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
      return guardedWrite(src, position);
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
      return d.map(mode, position, size);
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
      return d.lock(position, size, shared);
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
      return d.tryLock(position, size, shared);
    }

    @Override
    protected void implCloseChannel() throws IOException {
      d.close();
    }
  }
}
