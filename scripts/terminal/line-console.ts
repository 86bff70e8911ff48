// The terminal side of `npm run try`: typed lines go out, and every line that comes in is printed above the prompt.
import readline from 'node:readline';
import type { Palette } from '../kernel/colours.ts';

/** A line as it is shown: control characters escaped, so `\r` and NUL bytes are visible. */
export const printable = (text: string): string =>
  JSON.stringify(text).slice(1, -1).replace(/\\"/g, '"').replace(/\\\\/g, '\\');

export class LineConsole {
  readonly interactive = process.stdin.isTTY === true;
  readonly rl: readline.Interface;
  /** The prompt is shown only while typed lines can go somewhere: connected, input not ended. */
  prompting = false;
  private readonly colours: Palette;

  constructor(colours: Palette) {
    this.colours = colours;
    const output = this.interactive ? process.stdout : undefined;
    this.rl = readline.createInterface({
      input: process.stdin,
      output,
      terminal: this.interactive,
      prompt: colours.yellow('> '),
    });
    this.rl.pause();
  }

  /** Prints one line above whatever the user is typing, and puts their prompt and half-typed line back. */
  print(line: string): void {
    if (!process.stdout.isTTY) {
      process.stdout.write(`${line}\n`);
      return;
    }
    readline.clearLine(process.stdout, 0);
    readline.cursorTo(process.stdout, 0);
    process.stdout.write(`${line}\n`);
    if (this.prompting) this.rl.prompt(true);
  }

  /** What the tool itself says, set apart from the server's output and the connection's. */
  info(text: string): void {
    this.print(this.colours.dim(`-- ${text}`));
  }

  /** Starts taking typed lines. */
  open(): void {
    this.rl.resume();
    this.prompting = true;
    this.rl.prompt();
  }
}
