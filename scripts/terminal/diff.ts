import { diffLines } from 'diff';
import pc from 'picocolors';

export type Colours = Pick<typeof pc, 'red' | 'green' | 'dim'>;

const plain: Colours = { red: String, green: String, dim: String };

/** Expected against actual, line by line: `-` what the transcript expects, `+` what happened. */
export function renderDiff(expected: string, actual: string, colours: Colours = plain): string {
  const out: string[] = [];
  for (const part of diffLines(withNewline(expected), withNewline(actual))) {
    const lines = part.value.replace(/\n$/, '').split('\n');
    for (const line of lines) {
      if (part.added) out.push(colours.green(`+ ${line}`));
      else if (part.removed) out.push(colours.red(`- ${line}`));
      else out.push(colours.dim(`  ${line}`));
    }
  }
  return out.join('\n');
}

function withNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}
