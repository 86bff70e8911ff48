// What no step expected, as transcript lines: output, judged once the program has exited, and arrivals at a client.
import { canonicalOutput, toTemplate } from '../transcript/placeholders.ts';
import { formatStep } from '../transcript/format.ts';
import { formatBytes } from '../transcript/bytes.ts';
import type { AnyClient } from './clients.ts';
import type { ScenarioContext } from './context.ts';

/** A line in a sentence: in backquotes, or said in words when it is empty. */
export function shownLine(text: string): string {
  return text === '' ? 'an empty line' : `\`${text}\``;
}

/** Lines the program printed that no step expected, recorded and judged (once it has exited, nothing is racy). */
export function recordUnexpectedOutput(context: ScenarioContext, judged = true): void {
  const program = context.program;
  if (!program) return;
  context.learnPorts();
  for (const stream of ['stdout', 'stderr'] as const) {
    const extra = program[stream].unread();
    program[stream].next = program[stream].lines.length;
    if (extra.length === 0 || context.skipping[stream]) continue;
    // A stream that went over the cap is a flood: none of it is worth repeating.
    const shown = program.overflow === stream ? 0 : SHOWN_LINES;
    const lines = extra
      .slice(0, shown)
      .map((line) =>
        formatStep({ kind: stream, text: toTemplate(canonicalOutput(line, context.facts), context.facts) }),
      );
    // A flood stays a short report: the first lines say what it was.
    if (extra.length > shown) lines.push(`# ... and ${extra.length - shown} more lines on ${stream}`);
    context.record(...lines);
    if (judged)
      context.failure ??= {
        message: `The program printed more than the transcript expects on ${stream}, starting with ${shownLine(canonicalOutput(extra[0], context.facts))}.`,
      };
  }
}

/** How many unexpected lines of a stream a report shows. */
const SHOWN_LINES = 40;

/** What arrived at the client that an expectation did not ask for, as transcript lines. */
export function describeArrivals(client: AnyClient): string[] {
  const lines: string[] = [];
  if (client.kind === 'udp') {
    lines.push(...client.datagrams.splice(0).map((datagram) => `${client.name}: ${describeBytes(datagram)}`));
  } else if (client.bufferedBytes > 0) {
    lines.push(`${client.name}: ${describeBytes(client.take(client.bufferedBytes))}`);
  }
  if (client.error)
    lines.push(`${client.name}: ${client.error.code === 'ECONNRESET' ? 'reset' : `# error ${client.error.message}`}`);
  else if (client.ended) lines.push(`${client.name}: eof`);
  return lines;
}

/** Recorded bytes stay readable: a long run that is not a short repeated unit is given by its length. */
function describeBytes(bytes: Buffer): string {
  const written = formatBytes(bytes);
  return written.length <= 300 ? `recv ${written}` : `recv ${bytes.length} bytes`;
}

/** `Expected WHAT, but it got \`A: recv "..."\` then \`A: eof\`.` */
export function arrivalsSentence(expected: string, arrived: string[]): string {
  return `Expected ${expected}, but it got ${arrived.map((line) => `\`${line}\``).join(' then ')}.`;
}
