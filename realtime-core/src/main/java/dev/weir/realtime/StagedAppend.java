package dev.weir.realtime;

import java.io.IOException;
import java.util.Collections;
import java.util.List;

/**
 * Records of one partition staged by {@link RealtimeStore#stage}: deduplicated and numbered exactly
 * as {@link RealtimeStore#append} would, with nothing written or changed yet. A replicated log
 * (cluster mode) first makes {@link #storedRecords()} durable elsewhere, then {@link #apply}s the
 * stage, or {@link #discard}s it when that failed.
 *
 * <p>Not thread-safe. The partition's single writer owns it: nothing else may write the partition
 * between stage and apply ({@link #apply} refuses a stage the partition has moved past).
 */
public final class StagedAppend {
  private final RealtimeStore store;
  private final int partition;
  final Partition.Staged staged;
  private final List<AppendResult> results;
  private final long clockBefore;
  private boolean done;

  StagedAppend(
      RealtimeStore store,
      int partition,
      Partition.Staged staged,
      AppendResult[] results,
      long clockBefore) {
    this.store = store;
    this.partition = partition;
    this.staged = staged;
    this.results = Collections.unmodifiableList(java.util.Arrays.asList(results));
    this.clockBefore = clockBefore;
  }

  public int partition() {
    return partition;
  }

  /** One result per staged record, in input order: stored (with its sequence) or duplicate. */
  public List<AppendResult> results() {
    return results;
  }

  /** The sequence the first stored record gets; the others follow densely. */
  public long firstSequence() {
    return staged.seqBefore;
  }

  /** The sequence after the last stored record (the partition's next sequence once applied). */
  public long nextSequence() {
    return staged.seqAfter;
  }

  /** The stored records (each as given to {@link RealtimeStore#stage}), in sequence order. */
  public List<byte[]> storedRecords() {
    return Collections.unmodifiableList(staged.inOrder);
  }

  /**
   * Whether applying creates a block (a batch a later replay may have to start from: see {@link
   * RealtimeStore#scopeSequence}).
   */
  public boolean createsBlock() {
    for (Partition.Target t : staged.targets.values()) {
      if (t.existing == null) {
        return true;
      }
    }
    return false;
  }

  /** How many records were duplicates (of the dedup window or of each other). */
  public int duplicates() {
    return staged.duplicateCount;
  }

  /**
   * The partition's data clock (epoch ms) before this batch: a replay of the same records passes it
   * to {@link RealtimeStore#replay} so blocks get the same last-write clocks.
   */
  public long clockBefore() {
    return clockBefore;
  }

  /**
   * The partition's data clock (epoch ms) once this stage is applied: {@link #clockBefore} or the
   * latest upload time among the stored records, whichever is higher.
   */
  public long clockAfter() {
    return staged.maxUpload == Long.MIN_VALUE
        ? clockBefore
        : Math.max(clockBefore, staged.maxUpload);
  }

  /**
   * Writes the stored records to the partition (write-ahead file, memory) and makes them visible,
   * under the store's fsync policy; the duplicates count. Once only.
   *
   * @throws IllegalStateException when the partition changed since staging, or the stage is done
   * @throws StoreWriteException when the write failed; then nothing of it is stored
   */
  public void apply() throws IOException {
    if (done) {
      throw new IllegalStateException("this stage was already applied or discarded");
    }
    done = true;
    store.applyStaged(this);
  }

  /** Forgets the stage; the partition is as it was. */
  public void discard() {
    done = true;
  }
}
