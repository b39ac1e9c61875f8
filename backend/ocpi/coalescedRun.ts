// Work that runs one pass at a time: asked again while a pass runs, it runs once more after it (however often it was
// asked), on a later turn of the event loop. The OCPI publisher and pusher run their passes so.
export class CoalescedRun {
  private running = false;
  private again = false;
  private stopped = false;

  constructor(
    private readonly pass: () => Promise<void> | void,
    private readonly failed: (error: Error) => void,
    private readonly after: () => void = () => undefined,
  ) {}

  get isStopped(): boolean {
    return this.stopped;
  }

  get isRunning(): boolean {
    return this.running;
  }

  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    setImmediate(() => void this.run());
  }

  stop(): void {
    this.stopped = true;
  }

  private async run(): Promise<void> {
    try {
      do {
        this.again = false;
        await this.pass();
      } while (this.again && !this.stopped);
    } catch (error) {
      this.failed(error as Error);
    } finally {
      this.running = false;
    }
    this.after();
  }
}
