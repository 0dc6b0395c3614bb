package dev.weir.host.pipeline;

/**
 * One step of taking a submission in, composed like the delivery chain's steps: a step does its
 * part on the {@link Submission} and calls {@link Chain#proceed} to hand it to the next. The
 * pipeline's chain, in order: {@link StampStep} → {@link GovernStep} → {@link StoreStep} → {@link
 * TapStep}. Steps are stateless or thread-safe: sources submit concurrently.
 */
interface IngestStep {
  void apply(Submission submission, Chain chain);

  /** The rest of the chain after this step. */
  interface Chain {
    void proceed(Submission submission);
  }

  /** Runs {@code steps} in order on {@code submission}. */
  static void run(java.util.List<IngestStep> steps, Submission submission) {
    new Object() {
      void at(int i, Submission s) {
        if (i < steps.size()) {
          steps.get(i).apply(s, next -> at(i + 1, next));
        }
      }
    }.at(0, submission);
  }
}
