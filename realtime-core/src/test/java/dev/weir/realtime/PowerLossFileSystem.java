package dev.weir.realtime;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * The real file system, plus a model of what a power loss would keep: a file's contents as of its
 * last fsync (nothing written since), and a directory's entries as of its last directory fsync (a
 * file created or renamed since is gone or back under its old name). {@link #materialize} writes
 * that durable state into another directory. Every mutating call counts as one operation and first
 * calls the cut hook with its number, so a test can materialize the state "the power went out just
 * before operation n". Thread-safe (one monitor).
 */
final class PowerLossFileSystem implements StoreFileSystem {
  /** A file's identity, independent of its name. */
  static final class Inode {
    byte[] durable = new byte[0];
  }

  private final Path root;
  private final Map<Path, Inode> current = new HashMap<>();
  private final Map<Path, Map<String, Inode>> durableEntries = new HashMap<>();
  private final IntConsumer cut;
  private int ops;

  PowerLossFileSystem(Path root, IntConsumer cut) {
    this.root = root;
    this.cut = cut;
  }

  synchronized int ops() {
    return ops;
  }

  private void op() {
    cut.accept(ops++);
  }

  @Override
  public synchronized FileChannel open(Path path, OpenOption... options) throws IOException {
    List<OpenOption> o = List.of(options);
    boolean writes = o.contains(StandardOpenOption.WRITE);
    Path p = path.toAbsolutePath().normalize();
    if (writes) {
      op();
    }
    FileChannel ch = FileChannel.open(path, options);
    Inode inode = current.get(p);
    if (inode == null) {
      inode = new Inode();
      current.put(p, inode);
    }
    return writes ? new Channel(ch, inode) : ch;
  }

  @Override
  public synchronized void move(Path from, Path to) throws IOException {
    op();
    StoreFileSystem.super.move(from, to);
    Inode inode = current.remove(from.toAbsolutePath().normalize());
    if (inode != null) {
      current.put(to.toAbsolutePath().normalize(), inode);
    }
  }

  @Override
  public synchronized void delete(Path path) throws IOException {
    op();
    StoreFileSystem.super.delete(path);
    current.remove(path.toAbsolutePath().normalize());
  }

  @Override
  public synchronized void syncDirectory(Path dir) throws IOException {
    op();
    Path d = dir.toAbsolutePath().normalize();
    Map<String, Inode> entries = new LinkedHashMap<>();
    for (Map.Entry<Path, Inode> e : current.entrySet()) {
      if (d.equals(e.getKey().getParent())) {
        entries.put(e.getKey().getFileName().toString(), e.getValue());
      }
    }
    durableEntries.put(d, entries);
  }

  /** Writes the files a power loss now would leave into {@code target} (same layout as root). */
  synchronized void materialize(Path target) throws IOException {
    Path r = root.toAbsolutePath().normalize();
    for (Map.Entry<Path, Map<String, Inode>> dir : durableEntries.entrySet()) {
      Path into = target.resolve(r.relativize(dir.getKey()).toString());
      Files.createDirectories(into);
      for (Map.Entry<String, Inode> f : dir.getValue().entrySet()) {
        Files.write(into.resolve(f.getKey()), f.getValue().durable);
      }
    }
  }

  private final class Channel extends FileChannel {
    private final FileChannel d;
    private final Inode inode;

    Channel(FileChannel d, Inode inode) {
      this.d = d;
      this.inode = inode;
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
      synchronized (PowerLossFileSystem.this) {
        op();
        return d.write(src);
      }
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
      synchronized (PowerLossFileSystem.this) {
        op();
        d.truncate(size);
        return this;
      }
    }

    @Override
    public void force(boolean metaData) throws IOException {
      synchronized (PowerLossFileSystem.this) {
        op();
        d.force(metaData);
        for (Map.Entry<Path, Inode> e : current.entrySet()) {
          if (e.getValue() == inode) {
            inode.durable = Files.readAllBytes(e.getKey());
          }
        }
      }
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target)
        throws IOException {
      return d.transferTo(position, count, target);
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count) {
      throw new UnsupportedOperationException();
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
      return d.read(dst, position);
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
      synchronized (PowerLossFileSystem.this) {
        op();
        return d.write(src, position);
      }
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
