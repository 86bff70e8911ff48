// What a program prints: each output stream kept as lines, within a count, for the expectations to read in order.

/** Lines kept per stream: with the byte cap, a flood of empty lines is bounded too. */
export const MAX_LINES = 20_000;

/** The lines of one output stream, read in order by expectations. */
export class LineStream {
  readonly lines: string[] = [];
  next = 0;
  bytes = 0;
  private partial = '';

  push(chunk: string): void {
    this.bytes += Buffer.byteLength(chunk);
    const parts = (this.partial + chunk).split('\n');
    this.partial = parts.pop()!;
    for (const part of parts) if (this.lines.length < MAX_LINES) this.lines.push(part);
  }

  get full(): boolean {
    return this.lines.length >= MAX_LINES;
  }

  flush(): void {
    if (this.partial !== '') this.lines.push(this.partial);
    this.partial = '';
  }

  unread(): string[] {
    return this.lines.slice(this.next);
  }
}
