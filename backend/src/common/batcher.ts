/**
 * Coalesces concurrent single-row operations into one statement. SMS jobs run concurrently, each needing the
 * same two statements (claim, accept); under load, Postgres round trips and commits dominate. Calls submitted
 * while `maxInFlight` batches are running wait and leave together in the next batch, so batches grow with the
 * load and stay at one row when the system is idle (no added delay beyond one event-loop turn).
 */
export class Batcher<In, Out> {
  private waiting: Array<{ input: In; resolve: (output: Out) => void; reject: (error: unknown) => void }> =
    [];
  private inFlight = 0;
  private scheduled = false;

  constructor(
    /** Runs a batch; returns one output per input, in order. */
    private readonly run: (inputs: In[]) => Promise<Out[]>,
    private readonly maxBatch = 100,
    private readonly maxInFlight = 4,
  ) {}

  submit(input: In): Promise<Out> {
    return new Promise<Out>((resolve, reject) => {
      this.waiting.push({ input, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.maxInFlight || this.waiting.length === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    while (this.inFlight < this.maxInFlight && this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.maxBatch);
      this.inFlight += 1;
      this.run(batch.map((entry) => entry.input))
        .then(
          (outputs) => batch.forEach((entry, index) => entry.resolve(outputs[index] as Out)),
          (error: unknown) => batch.forEach((entry) => entry.reject(error)),
        )
        .finally(() => {
          this.inFlight -= 1;
          this.schedule();
        });
    }
  }
}
