// npm run mutant: a mutant written from an edited copy as git writes the diff, written again once its file moved on,
// and one line for every bad input.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMAND_PRELOAD, ROOT, runnerEnv } from '../support.ts';

const PROOF = join(ROOT, 'test/fixtures/proof');
let root = '';
let server = '';

function mutant(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [...COMMAND_PRELOAD, 'scripts/mutant.ts', ...args, '--root', root], {
    cwd: ROOT,
    encoding: 'utf8',
    env: runnerEnv({ NO_COLOR: '1' }),
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** A copy of `file` from the course root with `from` replaced by `to`, written outside the course. */
function editedCopy(file: string, from: string, to: string): string {
  const text = readFileSync(join(root, file), 'utf8');
  expect(text).toContain(from);
  const copy = join(root, '..', `${root.split('/').pop()}-edited.ts`);
  writeFileSync(copy, text.replace(from, to));
  return copy;
}

const patchPath = (name: string): string => join(root, 'solutions/01-echo/mutants', name);

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'workbook-mutant-'));
  cpSync(PROOF, root, { recursive: true });
  server = readFileSync(join(root, 'solutions/01-echo/server.ts'), 'utf8');
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(`${root}-edited.ts`, { force: true });
});

describe('npm run mutant', () => {
  it('answers --help with its usage and flags', () => {
    const run = mutant('--help');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^usage: npm run mutant -- PATCH --from EDITED\.ts/);
    expect(run.stdout).toContain('--remake');
  });

  it('writes the header and the diff exactly as git diff writes it, with paths from the course root', () => {
    const copy = editedCopy('solutions/01-echo/server.ts', 'conn.write(data);', 'conn.write(data.toString());');
    const run = mutant(
      patchPath('as-text.diff'),
      '--from',
      copy,
      '--mistake',
      'it writes text back.',
      '--fails',
      'echo.txt:8',
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('as-text.diff: 2 line(s) changed in solutions/01-echo/server.ts (the file the copy');
    // git's own diff of the two files, its paths made the course's (outside any repository, as a course author's copy).
    const gitDiff = spawnSync(
      'git',
      [
        'diff',
        '--no-index',
        '--no-color',
        '--no-ext-diff',
        '--src-prefix=a/',
        '--dst-prefix=b/',
        '-U3',
        'solutions/01-echo/server.ts',
        copy,
      ],
      { cwd: root, encoding: 'utf8' },
    ).stdout.split('\n');
    const path = 'solutions/01-echo/server.ts';
    gitDiff.splice(0, 1, `diff --git a/${path} b/${path}`);
    gitDiff.splice(2, 2, `--- a/${path}`, `+++ b/${path}`);
    expect(readFileSync(patchPath('as-text.diff'), 'utf8')).toBe(
      ['# Mistake: it writes text back.', '# Fails: echo.txt:8', ...gitDiff].join('\n'),
    );
    expect(gitDiff[4]).toBe('@@ -5,7 +5,7 @@ const server = net.createServer((conn) => {');
  });

  it("keeps the patch's own header when it is written again without --mistake and --fails", () => {
    const first = editedCopy('solutions/01-echo/server.ts', 'conn.write(data);', 'conn.write(`${data}`);');
    const made = mutant(
      patchPath('kept.diff'),
      '--from',
      first,
      '--mistake',
      'it writes text.',
      '--fails',
      'echo.txt:8',
    );
    expect(made.status).toBe(0);
    const copy = editedCopy('solutions/01-echo/server.ts', 'conn.write(data);', 'conn.write(String(data));');
    expect(mutant(patchPath('kept.diff'), '--from', copy).status).toBe(0);
    const text = readFileSync(patchPath('kept.diff'), 'utf8');
    expect(text).toMatch(/^# Mistake: it writes text\.\n# Fails: echo\.txt:8\ndiff --git /);
    expect(text).toContain('+    conn.write(String(data));\n');
  });

  it('patches the alternative an edited copy differs least from', () => {
    const copy = editedCopy(
      'solutions/01-echo/alternatives/pipe.ts',
      'conn.pipe(conn);',
      'conn.pipe(conn, { end: false });',
    );
    const run = mutant(
      patchPath('pipe-open.diff'),
      '--from',
      copy,
      '--mistake',
      'it never ends its side.',
      '--fails',
      'echo.txt:end',
    );
    expect(run.status).toBe(0);
    expect(readFileSync(patchPath('pipe-open.diff'), 'utf8')).toContain(
      'diff --git a/solutions/01-echo/alternatives/pipe.ts b/solutions/01-echo/alternatives/pipe.ts\n',
    );
  });

  it('remakes a patch after a line next to its mistake changed, and keeps its header', () => {
    const file = join(root, 'solutions/01-echo/server.ts');
    writeFileSync(
      file,
      server.replace("conn.on('end', () => conn.end());", "conn.on('end', () => conn.end()); // done"),
    );
    try {
      const before = readFileSync(patchPath('caught.diff'), 'utf8');
      const run = mutant(patchPath('caught.diff'), '--remake');
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      const after = readFileSync(patchPath('caught.diff'), 'utf8');
      expect(after).not.toBe(before);
      expect(after.split('diff --git')[0]).toBe(before.split('diff --git')[0]);
      expect(after).toContain(" conn.on('end', () => conn.end()); // done\n");
    } finally {
      writeFileSync(file, server);
    }
  });

  it('says how to make the mistake again when the lines it changes are gone', () => {
    const file = join(root, 'solutions/01-echo/server.ts');
    writeFileSync(file, server.replace('    conn.write(data);\n', '    conn.end(data);\n'));
    try {
      const gone = mutant(patchPath('wrong-line.diff'), '--remake');
      expect(gone.status).toBe(2);
      expect(gone.stderr).toBe(
        'error: solutions/01-echo/mutants/wrong-line.diff no longer fits solutions/01-echo/server.ts: the lines it changes are gone. Copy solutions/01-echo/server.ts, make the mistake the old patch shows again, then npm run mutant -- solutions/01-echo/mutants/wrong-line.diff --from EDITED.ts\n',
      );
    } finally {
      writeFileSync(file, server);
    }
  });

  it.each([
    [[], 'name one patch, solutions/NN-slug/mutants/NAME.diff'],
    [['elsewhere.diff', '--remake'], 'elsewhere.diff is not solutions/NN-slug/mutants/NAME.diff of a lesson of'],
    [['@/new.diff'], 'give --from EDITED.ts (a new mistake, or a changed one) or --remake (its file moved on)'],
    [
      ['@/new.diff', '--from', 'missing.ts', '--mistake', 'x.', '--fails', 'echo.txt:8'],
      '--from missing.ts: no such file',
    ],
    [['@/new.diff', '--from', '@server', '--fails', 'echo.txt:8'], '--mistake takes the mistake in one sentence'],
    [['@/new.diff', '--from', '@server', '--mistake', 'x.'], '--fails takes the step that must catch it first'],
    [
      ['@/new.diff', '--from', '@server', '--mistake', 'x.', '--fails', 'echo.txt:1'],
      '--fails echo.txt:1: line 1 of echo.txt is not a step',
    ],
    [
      ['@/new.diff', '--from', '@server', '--mistake', 'x.', '--fails', 'echo.txt:8'],
      'is the same as solutions/01-echo/server.ts',
    ],
    [['@/new.diff', '--remake'], 'solutions/01-echo/mutants/new.diff does not exist'],
    [['@/nothing.diff', '--remake'], 'nothing.diff changes nothing in solutions/01-echo/server.ts'],
  ])('refuses %j in one line, with exit code 2', (args, message) => {
    const copy = join(root, '..', `${root.split('/').pop()}-same.ts`);
    writeFileSync(copy, server);
    const run = mutant(...args.map((arg) => arg.replace('@/', `${patchPath('')}/`).replace('@server', copy)));
    rmSync(copy);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(existsSync(patchPath('new.diff'))).toBe(false);
  });
});
