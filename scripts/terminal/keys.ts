// Single keys for --watch: read as they are pressed in a terminal (raw mode), or a character at a time from a pipe.
// Ctrl-C in raw mode reaches the program as a key, not a signal: it is turned back into SIGINT, so it stops as before.

export type KeyHandler = (key: string) => void;

export class Keys {
  private readonly input: NodeJS.ReadStream;
  private readonly raw: boolean;
  private readonly listener: (chunk: Buffer | string) => void;

  constructor(handle: KeyHandler, input: NodeJS.ReadStream = process.stdin) {
    this.input = input;
    this.raw = input.isTTY === true;
    this.listener = (chunk) => {
      for (const key of String(chunk)) {
        if (key === '\u0003') process.kill(process.pid, 'SIGINT');
        else if (/^[a-z?]$/i.test(key)) handle(key.toLowerCase());
      }
    };
    if (this.raw) input.setRawMode(true);
    input.on('data', this.listener);
    // Input that ends (a closed pipe, /dev/null) just means no keys: the watch goes on.
    input.on('error', () => {});
    input.resume();
  }

  /** Gives the terminal back as it was, and lets the process end. */
  close(): void {
    this.input.off('data', this.listener);
    if (this.raw) this.input.setRawMode(false);
    this.input.pause();
    this.input.unref?.();
  }
}
