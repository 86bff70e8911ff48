// Integration: the command outputs README.md shows are what the commands print, run in order on a fresh copy of the
// workbook, as a newcomer would type them. Every output block is checked, or says in its fence that it is not.
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeInfo, readCodeBlocks } from '../../scripts/course/lessons.ts';
import { ROOT, startCommand } from '../support.ts';

const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const SCRIPTS: Record<string, string> = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts;

/**
 * What a fenced block of the README may be: `sh`, commands to type; `output`, a command (its first line, `$ npm run
 * ...`) and what it prints, checked here; `output illustrative`, one shown but not run (it waits for keys or a server).
 */
const KINDS = ['sh', 'output'];
/** A line of an output block that stands for any number of the real output's lines. */
const ELIDED = '...';

const blocks = readCodeBlocks(README).map((block) => ({
  ...block,
  kind: codeInfo(block.info).lang,
  illustrative: block.info.split(/\s+/).includes('illustrative'),
}));
const checked = blocks.filter((block) => block.kind === 'output' && !block.illustrative);

/** `npm run NAME -- ARGS` as the script and its arguments, or undefined for anything else. */
function npmRun(line: string): { name: string; args: string[] } | undefined {
  const match = /^npm run ([\w:-]+)((?: \S+)*)$/.exec(line.trim());
  if (!match) return undefined;
  // npm passes on what follows the name, less the first `--` (which keeps the flags after it from npm itself).
  const args = match[2].split(' ').filter(Boolean);
  const separator = args.indexOf('--');
  if (separator >= 0) args.splice(separator, 1);
  return { name: match[1], args };
}

/** Durations differ from run to run: `(1.2 s)` and `Waited 2.0 s` compare as `# s`. */
const steady = (line: string): string => line.replace(/\b\d+(?:\.\d+)? s\b/g, '# s').trimEnd();

/**
 * Whether the real output is what the block shows: its lines in order, each `...` standing for any number of lines,
 * the first and last lines anchored unless a `...` frees them. Undefined when it is; else the first line not found.
 */
function unshownLine(shownText: string, actualText: string): string | undefined {
  const shown = shownText.split('\n').map(steady);
  const actual = actualText.replace(/\n$/, '').split('\n').map(steady);
  const runs: string[][] = [[]];
  for (const line of shown) {
    if (line.trim() === ELIDED) runs.push([]);
    else runs[runs.length - 1].push(line);
  }
  const fits = (run: string[], at: number): boolean => run.every((line, offset) => actual[at + offset] === line);
  let from = 0;
  for (const [index, run] of runs.entries()) {
    const first = index === 0;
    const last = index === runs.length - 1;
    if (run.length === 0) continue;
    const starts = last
      ? [actual.length - run.length]
      : Array.from({ length: actual.length - run.length + 1 - from }, (_, offset) => from + offset);
    const at = starts.find((start) => start >= from && (!first || start === 0) && fits(run, start));
    if (at === undefined) {
      // The longest stretch of the run the output has, where the run may start: the line after it is the one gone.
      let longest = 0;
      for (let start = first ? 0 : from; start < (first ? 1 : actual.length); start++) {
        let length = 0;
        while (length < run.length && actual[start + length] === run[length]) length++;
        longest = Math.max(longest, length);
      }
      return run[Math.min(longest, run.length - 1)];
    }
    from = at + run.length;
  }
  return undefined;
}

describe("README.md's blocks", () => {
  it('are each commands to type, an output checked here, or an output marked illustrative', () => {
    const unknown = blocks.filter((block) => !KINDS.includes(block.kind));
    expect(
      unknown.map((block) => `README.md:${block.line}: \`\`\`${block.info} is neither sh nor output (illustrative)`),
    ).toEqual([]);
    expect(checked.length).toBeGreaterThanOrEqual(2);
  });

  it('name only npm scripts that exist', () => {
    const lines = blocks.flatMap((block) =>
      block.text
        .split('\n')
        .map((line) => line.replace(/^\$ /, '').replace(/\s+#.*$/, ''))
        .flatMap((line) => line.split('&&'))
        .filter((line) => /^\s*npm run /.test(line)),
    );
    expect(lines.length).toBeGreaterThan(10);
    for (const line of lines) expect(Object.keys(SCRIPTS), line).toContain(/^\s*npm run ([\w:-]+)/.exec(line)![1]);
  });
});

describe('the matching of an output block', () => {
  const real = 'Lesson 4\n  ✓ echo (1.2 s)\n  ✓ more (0.9 s)\n\nLesson 4 passes (2 scenarios, 1.2 s).\n';
  it('takes durations as they come and `...` as any lines', () => {
    expect(unshownLine('Lesson 4\n  ✓ echo (3.0 s)\n...\nLesson 4 passes (2 scenarios, 9.9 s).', real)).toBe(undefined);
    expect(unshownLine('...\nLesson 4 passes (2 scenarios, 1.2 s).', real)).toBe(undefined);
  });
  it('names the first line the output no longer has, and holds both ends', () => {
    expect(unshownLine('Lesson 4\n  ✓ echo (1.2 s)\n  ✓ gone (1.2 s)\n...', real)).toBe('  ✓ gone (# s)');
    expect(unshownLine('  ✓ echo (1.2 s)\n...', real)).toBe('  ✓ echo (# s)');
    expect(unshownLine('Lesson 4\n...\n  ✓ more (0.9 s)', real)).toBe('  ✓ more (# s)');
  });
});

describe("README.md's outputs, run on a fresh copy of the workbook", () => {
  let copy: string;
  beforeAll(() => {
    copy = mkdtempSync(join(tmpdir(), 'workbook-readme-'));
    for (const part of ['lessons', 'solutions', 'scripts', 'package.json', 'tsconfig.json', 'README.md'])
      cpSync(join(ROOT, part), join(copy, part), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'), 'dir');
  });
  afterAll(() => {
    if (copy) rmSync(copy, { recursive: true, force: true });
  });

  // In the README's order, in one copy: a hint follows the check before it, as it would for a learner.
  for (const block of checked) {
    const [command, ...shown] = block.text.split('\n');
    it(`README.md:${block.line}: ${command}`, async () => {
      const run = npmRun(command.replace(/^\$ /, ''));
      expect(run, `README.md:${block.line}: an output block starts with \`$ npm run NAME\``).toBeDefined();
      const finished = await startCommand(`scripts/${run!.name}.ts`, run!.args, { NO_COLOR: '1' }, 120_000, false, copy)
        .finished;
      expect(finished.stderr).toBe('');
      const missing = unshownLine(shown.join('\n'), finished.stdout);
      expect(
        missing,
        `README.md:${block.line}: \`${command.slice(2)}\` no longer prints what the README shows (from "${missing}"). ` +
          `Copy its output again:\n${finished.stdout}`,
      ).toBeUndefined();
    });
  }
});
