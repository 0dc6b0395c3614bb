package dev.weir.delivery;

import dev.weir.realtime.StoreFileSystem;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The real file system, recording in order each file it creates ("create <path>"), each rename
 * ("move <to>") and each directory fsync ("syncdir <dir>"), all paths absolute.
 */
final class SyncRecordingFileSystem implements StoreFileSystem {
  final List<String> ops = new CopyOnWriteArrayList<>();

  @Override
  public FileChannel open(Path path, OpenOption... options) throws IOException {
    List<OpenOption> o = Arrays.asList(options);
    if ((o.contains(StandardOpenOption.CREATE) || o.contains(StandardOpenOption.CREATE_NEW))
        && !Files.exists(path)) {
      ops.add("create " + path.toAbsolutePath());
    }
    return StoreFileSystem.super.open(path, options);
  }

  @Override
  public void move(Path from, Path to) throws IOException {
    StoreFileSystem.super.move(from, to);
    ops.add("move " + to.toAbsolutePath());
  }

  @Override
  public void syncDirectory(Path dir) throws IOException {
    ops.add("syncdir " + dir.toAbsolutePath());
    StoreFileSystem.super.syncDirectory(dir);
  }

  /**
   * True when {@code file}'s last creation or rename was followed by an fsync of its directory: a
   * power loss now keeps its entry.
   */
  boolean entryIsDurable(Path file) {
    Path f = file.toAbsolutePath();
    int last = Math.max(ops.lastIndexOf("create " + f), ops.lastIndexOf("move " + f));
    return last >= 0 && ops.subList(last, ops.size()).contains("syncdir " + f.getParent());
  }
}
