// Output no step expected: recorded in the transcript's format, and judged once the program has exited.
import { canonicalOutput, toTemplate } from '../transcript/placeholders.ts';
import { formatStep } from '../transcript/format.ts';
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
