// The transcript against what happened, line by line, as a failing scenario shows it.
import { diffLines } from 'diff';
import pc from 'picocolors';

export type Colours = Pick<typeof pc, 'red' | 'green' | 'dim'>;

const plain: Colours = { red: String, green: String, dim: String };

export interface DiffOptions {
  /**
   * Lines as expected kept around each difference; a longer run of them is folded into one line saying how many.
   * Unset: every line is shown.
   */
  context?: number;
}

type Kind = 'same' | 'removed' | 'added';

/** Expected against actual, line by line: `-` what the transcript expects, `+` what happened. */
export function renderDiff(
  expected: string,
  actual: string,
  colours: Colours = plain,
  options: DiffOptions = {},
): string {
  const lines: { kind: Kind; text: string }[] = [];
  for (const part of diffLines(withNewline(expected), withNewline(actual))) {
    const kind: Kind = part.added ? 'added' : part.removed ? 'removed' : 'same';
    for (const raw of part.value.replace(/\n$/, '').split('\n'))
      lines.push({ kind, text: kind === 'same' ? readable(raw) : visibleEnd(readable(raw)) });
  }
  const out: string[] = [];
  for (const { kind, text, folded } of fold(shortStacks(lines), options.context)) {
    if (folded) out.push(colours.dim(`  ... (${folded} line${folded === 1 ? '' : 's'} as expected)`));
    else if (kind === 'added') out.push(colours.green(`+ ${text}`));
    else if (kind === 'removed') out.push(colours.red(`- ${text}`));
    else out.push(colours.dim(`  ${text}`));
  }
  return out.join('\n');
}

/** A stack trace on stderr keeps its first frame, the place that failed; the frames under it are counted. */
function shortStacks(lines: { kind: Kind; text: string }[]): { kind: Kind; text: string }[] {
  const frame = (line: { text: string } | undefined): boolean => line !== undefined && /^! \s+at /.test(line.text);
  const out: { kind: Kind; text: string }[] = [];
  for (let index = 0; index < lines.length; index++) {
    out.push(lines[index]);
    if (!frame(lines[index]) || frame(lines[index - 1])) continue;
    let end = index + 1;
    while (frame(lines[end]) && lines[end].kind === lines[index].kind) end++;
    const more = end - index - 1;
    if (more > 1) {
      out.push({ kind: lines[index].kind, text: `!     ... (${more} more stack frames)` });
      index = end - 1;
    }
  }
  return out;
}

/** Runs of unchanged lines longer than twice the context shrink to their ends and one line that counts the rest. */
function fold(
  lines: { kind: Kind; text: string }[],
  context: number | undefined,
): { kind: Kind; text: string; folded?: number }[] {
  if (context === undefined) return lines;
  const out: { kind: Kind; text: string; folded?: number }[] = [];
  for (let start = 0; start < lines.length;) {
    let end = start;
    while (end < lines.length && lines[end].kind === lines[start].kind) end++;
    const run = lines.slice(start, end);
    const keepBefore = start === 0 ? 0 : context;
    const keepAfter = end === lines.length ? 0 : context;
    if (run[0].kind !== 'same' || run.length <= keepBefore + keepAfter + 1) out.push(...run);
    else
      out.push(
        ...run.slice(0, keepBefore),
        { kind: 'same', text: '', folded: run.length - keepBefore - keepAfter },
        ...run.slice(run.length - keepAfter),
      );
    start = end;
  }
  return out;
}

/** Trailing spaces and tabs made visible (`·`, `→`) on a changed line: `Hello ` and `Hello` differ by what is unseen. */
function visibleEnd(line: string): string {
  return line.replace(/[ \t]+$/, (tail) => tail.replace(/ /g, '·').replace(/\t/g, '→'));
}

/** An empty output line is written `\\` (stdout), `! ` (stderr) or `A>` (a client): shown in words, not as a lone mark. */
function readable(line: string): string {
  if (line === '\\') return '(empty line)';
  if (line === '! ' || line === '!') return '! (empty line)';
  if (/^[A-Z]>$/.test(line)) return `${line} (empty line)`;
  const file = /^(= \S+?:)$/.exec(line);
  return file ? `${file[1]} (empty line)` : line;
}

function withNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}
