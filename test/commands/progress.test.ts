// The learner's state through the commands: npm run lesson with no number, npm run progress and npm run hint.
import { cpSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { progressFile } from '../../scripts/course/progress.ts';
import { COURSE, runCommand } from '../support.ts';

/** A private copy of the fixture course, so progress written by one test never leaks into another. */
function courseCopy(): string {
  const root = mkdtempSync(join(tmpdir(), 'workbook-progress-'));
  cpSync(COURSE, root, { recursive: true, filter: (source) => !source.includes('.workbook') });
  return root;
}

describe('the commands', () => {
  it('npm run lesson with no number checks the first lesson not passed yet, and npm run progress shows it', async () => {
    const root = courseCopy();
    const check = await runCommand('scripts/lesson.ts', ['--root', root]);
    expect(check.code).toBe(1);
    expect(check.stdout).toContain('Lesson 1: Echo');
    const shown = await runCommand('scripts/progress.ts', ['--root', root]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/^\[\.{30}\] 0 of 8 lessons pass/);
    // The fixture's READMEs do not say what they start from: `?`, and no paths.
    expect(shown.stdout).toMatch(/01-echo\s+\?\s+fails\s+\d{4}-\d\d-\d\d \d\d:\d\d/);
    expect(shown.stdout).toMatch(/02-does-not-compile\s+\?\s+not checked/);
    expect(shown.stdout).not.toContain('The programs');
    expect(shown.stdout).toContain('Next: npm run lesson 1');
    // Every line fits 80 columns.
    expect(Math.max(...shown.stdout.split('\n').map((line) => line.length))).toBeLessThanOrEqual(80);
  });

  it('npm run progress shows what each lesson builds on, and the course as paths', async () => {
    const root = courseCopy();
    const startsFrom: Record<string, string> = {
      '01-echo': '**Starts from:** nothing: a new program.',
      '02-does-not-compile': "**Starts from:** lesson 01's `server.ts`.",
      '03-crash': 'Builds on: lesson 02.',
      '04-never-listens': "**Starts from:** lesson 02's `server.ts`, not lesson 03's.",
      '05-spins': "**Starts from:** a new, short `server.ts`, not lesson 04's program.",
      '06-flood': 'Builds on: lesson 05.',
    };
    for (const [slug, line] of Object.entries(startsFrom)) {
      writeFileSync(
        join(root, 'lessons', slug, 'README.md'),
        `# ${slug}\n\nThe lesson.\n\n${line}\n\n## Hints\n\n- One.\n`,
      );
    }
    const shown = await runCommand('scripts/progress.ts', ['--root', root]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/^lesson\s+builds on\s+status\s+last checked \(UTC\)$/m);
    expect(shown.stdout).toMatch(/^01-echo\s+new\s+not checked$/m);
    expect(shown.stdout).toMatch(/^02-does-not-compile\s+01\s+not checked$/m);
    expect(shown.stdout).toMatch(/^04-never-listens\s+02\s+not checked$/m);
    expect(shown.stdout).toMatch(/^05-spins\s+new\s+not checked$/m);
    expect(shown.stdout).toMatch(/^07-ignores-sigterm\s+\?\s+not checked$/m);
    const paths = shown.stdout.split('The programs, each line one program growing from lesson to lesson:\n')[1];
    expect(paths.split('\n\n')[0].split('\n')).toEqual([
      '  01 > 02 > 03',
      '  01 > 02 > 04',
      '  05 > 06',
      '  on their own: 07, 08',
    ]);
    expect(Math.max(...shown.stdout.split('\n').map((line) => line.length))).toBeLessThanOrEqual(80);
  });

  it('npm run progress survives a damaged progress file and says so', async () => {
    const root = courseCopy();
    mkdirSync(join(root, '.workbook'));
    writeFileSync(progressFile(root), 'garbage');
    const shown = await runCommand('scripts/progress.ts', ['--root', root]);
    expect(shown.code).toBe(0);
    expect(shown.stderr).toMatch(/^The progress file was damaged, so progress starts afresh/);
    expect(shown.stderr).not.toMatch(/at .*\.ts:\d+/);
    expect(existsSync(`${progressFile(root)}.damaged`)).toBe(true);
    expect(shown.stdout).toContain('0 of 8 lessons pass');
  });

  it('npm run hint shows one more hint each time, and --again starts over', async () => {
    const root = courseCopy();
    writeFileSync(
      join(root, 'lessons/01-echo/README.md'),
      '# 01: Echo\n\n## Hints\n\n- First, gently.\n- Second, closer.\n- Third: the answer.\n',
    );
    const texts: string[] = [];
    for (const args of [['1'], ['1'], ['1'], ['1'], ['1', '--again']]) {
      const run = await runCommand('scripts/hint.ts', [...args, '--root', root]);
      expect(run.code).toBe(0);
      texts.push(run.stdout);
    }
    expect(texts.map((text) => /hint (\d) of 3/.exec(text)?.[1])).toEqual(['1', '2', '3', '3', '1']);
    expect(texts[0]).toContain('First, gently.');
    expect(texts[1]).toContain('Second, closer.');
    expect(texts[2]).toContain('That was the last hint');
  });
});
