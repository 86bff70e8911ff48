// The preload that gives a program a free port for the one it asks for, and tells the runner where it listens.
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startProgram, type Program } from '../../scripts/run/program.ts';
import { COURSE, ROOT, holdPort, tryConnect, waitUntil, within } from '../support.ts';

const FORMS = join(ROOT, 'test/fixtures/programs/listen-forms.ts');
const programs: Program[] = [];
let blocker: Awaited<ReturnType<typeof holdPort>>;

function start(args: string[], forcedPorts?: Record<number, number>): Program {
  const program = startProgram({ file: FORMS, args, cwd: COURSE, outputCap: 1 << 20, forcedPorts });
  programs.push(program);
  return program;
}

function firstLine(program: Program): Promise<string> {
  return waitUntil(
    'the program to print a line',
    () =>
      program.stdout.lines[0] ?? program.stderr.lines[0] ?? (program.exit && `exited ${JSON.stringify(program.exit)}`),
  );
}

beforeAll(async () => {
  // With 12345 held, a program that really bound 12345 would fail: the mapping is the only way these pass.
  blocker = await holdPort(12345);
});

afterEach(async () => {
  await Promise.all(
    programs
      .splice(0)
      .filter((program) => !program.exit)
      .map((program) => program.stop()),
  );
});

afterAll(async () => {
  await blocker.release();
});

describe('port-map preload', () => {
  it.each(['number', 'string', 'options', 'callback'])(
    'maps listen in %s form to a free port and reports it',
    async (form) => {
      const program = start([form]);
      const line = await firstLine(program);
      const listening = await waitUntil('the listening report', () => program.listening[0]);
      expect(listening.requested).toBe(12345);
      expect(listening.port).not.toBe(12345);
      expect(listening.address).toBe('127.0.0.1');
      expect(line).toBe(`listening on 127.0.0.1 ${listening.port}`);
      expect(await tryConnect(listening.port)).toBe('connected');
      expect(program.listening).toHaveLength(1);
    },
  );

  it("keeps the program's own listen callback", async () => {
    const program = start(['callback']);
    await waitUntil('both lines', () => program.stdout.lines.length >= 2);
    expect(program.stdout.lines.slice(0, 2).sort()).toEqual(
      ['callback ran', `listening on 127.0.0.1 ${program.listening[0].port}`].sort(),
    );
  });

  it('reports port 0 as requested 0', async () => {
    const program = start(['zero']);
    const listening = await waitUntil('the listening report', () => program.listening[0]);
    expect(listening.requested).toBe(0);
    expect(listening.port).toBeGreaterThan(0);
  });

  it('gives a forced port instead, so [busy] makes the program meet a port in use', async () => {
    const other = await holdPort(0);
    expect(other.held).toBe(true);
    try {
      const program = start(['number'], { 12345: other.port });
      const status = await within('the program to fail', program.exited);
      expect(status.code).toBe(1);
      expect(program.stderr.lines[0]).toBe(`listen EADDRINUSE: address already in use 127.0.0.1:${other.port}`);
      expect(program.listening).toEqual([]);
    } finally {
      await other.release();
    }
  });

  it('leaves a pipe path alone and reports nothing for it', async () => {
    const program = start(['pipe']);
    try {
      expect(await firstLine(program)).toBe('listening on a pipe');
      expect(program.listening).toEqual([]);
    } finally {
      rmSync(join(tmpdir(), `workbook-fixture-${program.pid}.sock`), { force: true });
    }
  });

  it('reports that node and the preload are up, so the runner can tell start-up from a silent program', async () => {
    const program = start(['zero']);
    expect(program.started).toBe(false);
    await waitUntil('the start report', () => program.started);
    await waitUntil('the listening report', () => program.listening[0]);
  });

  it('does not keep a finished program alive', async () => {
    const program = start(['number', 'then-close']);
    const status = await within('the program to end by itself', program.exited);
    expect(program.stopping).toBe(false);
    expect(status).toEqual({ code: 0, signal: null });
    expect(program.listening).toHaveLength(1);
  });
});

describe('a port asked for twice', () => {
  it('is the same real port both times, so a second listener meets the first as it would on the real port', async () => {
    const program = startProgram({
      file: join(ROOT, 'test/fixtures/programs/relisten.ts'),
      args: [],
      cwd: COURSE,
      outputCap: 1 << 20,
      forcedPorts: {},
    });
    programs.push(program);
    expect(await firstLine(program)).toBe('second: EADDRINUSE');
    expect(program.listening.map((entry) => entry.requested)).toEqual([12345]);
  });
});
