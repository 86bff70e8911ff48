// The transcript against what happened, line by line, as a failing scenario shows it.
import { diffLines } from 'diff';
import pc from 'picocolors';

export type Colours = Pick<typeof pc, 'red' | 'green' | 'dim'>;

const plain: Colours = { red: String, green: String, dim: String };

/** Expected against actual, line by line: `-` what the transcript expects, `+` what happened. */
export function renderDiff(expected: string, actual: string, colours: Colours = plain): string {
  const out: string[] = [];
  for (const part of diffLines(withNewline(expected), withNewline(actual))) {
    const lines = part.value.replace(/\n$/, '').split('\n');
    for (const raw of lines) {
      const line = readable(raw);
      if (part.added) out.push(colours.green(`+ ${line}`));
      else if (part.removed) out.push(colours.red(`- ${line}`));
      else out.push(colours.dim(`  ${line}`));
    }
  }
  return out.join('\n');
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
