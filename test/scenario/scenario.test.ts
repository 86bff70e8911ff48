// The scenario executor: every kind of step against a real program over real sockets, and what it records.
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { runScenario, type ScenarioOptions, type ScenarioResult } from '../../scripts/scenario/scenario.ts';
import { compileError } from '../../scripts/scenario/explain.ts';
import { parseTranscript, type Step } from '../../scripts/transcript/parse.ts';
import { COURSE, ROOT } from '../support.ts';

const TOY = join(ROOT, 'test/fixtures/programs/toy-server.ts');
const COUNTER = join(ROOT, 'test/fixtures/programs/byte-counter.ts');
const FORMS = join(ROOT, 'test/fixtures/programs/listen-forms.ts');
const READY_THEN_LATE = join(ROOT, 'test/fixtures/programs/ready-then-late.ts');
const SLOW_BOOT = join(ROOT, 'test/fixtures/programs/slow-boot.mjs');
const STUBBORN = join(COURSE, 'lessons/07-ignores-sigterm/server.ts');
const OPTIONS = { cwd: COURSE, courseRoot: ROOT, stepTimeoutMs: 2000, startTimeoutMs: 10_000, outputCap: 256 * 1024 };

const asServer = new Map<string, string>();

/** `$ server` starts server.ts: each fixture program gets a folder of its own where it is server.ts. */
function serverDirFor(programFile: string): string {
  let dir = asServer.get(programFile);
  if (!dir) {
    dir = mkdtempSync(join(tmpdir(), 'workbook-program-'));
    writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n');
    copyFileSync(programFile, join(dir, 'server.ts'));
    asServer.set(programFile, dir);
  }
  return dir;
}

function withProgram(lines: string[], programFile: string): { text: string; options: ScenarioOptions } {
  return { text: `${lines.join('\n')}\n`, options: { ...OPTIONS, programDir: serverDirFor(programFile) } };
}

function run(
  lines: string[],
  { programFile = TOY, ...options }: Partial<ScenarioOptions> & { programFile?: string } = {},
): Promise<ScenarioResult> {
  const { text, options: base } = withProgram(lines, programFile);
  return runScenario('inline.txt', text, parseTranscript(text, 'inline.txt'), { ...base, ...options });
}

describe.concurrent('runScenario', () => {
  it('performs every kind of step and records exactly the transcript when all goes well', async ({ expect }) => {
    const lines = [
      '# two listeners, two clients',
      '$ server 12345 23456',
      'listening on 12345',
      'listening on 23456',
      'A: connect 23456',
      'connection on 23456 from {A.addr}:{A.port}',
      'B: connect',
      'connection on 12345 from {B.addr}:{B.port}',
      'A: send "hi\\n" "there\\n"',
      'A: recv "hi\\nthere\\n"',
      // Stdout and stderr are separate streams: their order against each other is not checked.
      'B: send "pid\\nwarn\\n"',
      '! warning: careful',
      'pid {pid}',
      'B: silent 100ms',
      'A: end',
      'client ended',
      'A: eof',
      'B: send "reset\\n"',
      'B: reset',
      'C: connect',
      'connection on 12345 from {C.addr}:{C.port}',
      'C: abort',
      'client error ECONNRESET',
      '^C',
      'bye',
      '[exit 3]',
    ];
    const result = await run(lines);
    expect(result.failure).toBeUndefined();
    expect(result.passed).toBe(true);
    expect(result.complete).toBe(true);
    expect(result.name).toBe('inline');
    expect(result.actual).toBe(result.expected);
    expect(result.expected).toBe(lines.join('\n'));
  });

  it('records a wrong line with placeholders for what it knows, and goes on to the end', async ({ expect }) => {
    const result = await run([
      '$ server',
      'listening on 12345',
      'A: connect',
      'connection from somewhere',
      'A: send "pid\\n"',
      'pid 1',
      'A: send "x\\n"',
      'A: recv "x\\n"',
    ]);
    expect(result.passed).toBe(false);
    expect(result.complete).toBe(true);
    expect(result.failure?.step?.line).toBe(4);
    expect(result.failure?.message).toMatch(
      /^Expected the program to print `connection from somewhere` on stdout, but it printed `connection on 12345 from 127\.0\.0\.1:\d+`\.$/,
    );
    expect(result.actual.split('\n')).toEqual([
      '$ server',
      'listening on 12345',
      'A: connect',
      'connection on 12345 from {A.addr}:{A.port}',
      'A: send "pid\\n"',
      'pid {pid}',
      'A: send "x\\n"',
      'A: recv "x\\n"',
    ]);
  });

  it('records wrong bytes as what arrived', async ({ expect }) => {
    const result = await run([
      '$ server',
      'listening on 12345',
      'A: connect',
      'connection on 12345 from {A.addr}:{A.port}',
      'A: send "abc\\n"',
      'A: recv "abd\\n"',
    ]);
    expect(result.passed).toBe(false);
    expect(result.failure?.step?.line).toBe(6);
    expect(result.failure?.message).toBe('Expected client A to receive "abd\\n", but it got `A: recv "abc\\n"`.');
    expect(result.actual.split('\n').at(-1)).toBe('A: recv "abc\\n"');
  });

  it('fails eof when data arrives instead, and silent when anything arrives', async ({ expect }) => {
    const eof = await run([
      '$ server',
      'listening on 12345',
      'A: connect',
      'connection on 12345 from {A.addr}:{A.port}',
      'A: send "x\\n"',
      'A: eof',
    ]);
    expect(eof.failure?.message).toBe(
      'Expected the server to close the connection at client A, but it got `A: recv "x\\n"`.',
    );
    const silent = await run([
      '$ server',
      'listening on 12345',
      'A: connect',
      'connection on 12345 from {A.addr}:{A.port}',
      'A: send "close\\n"',
      'A: silent 1000ms',
    ]);
    expect(silent.failure?.message).toBe('Expected nothing at client A for 1000 ms, but it got `A: eof`.');
    expect(silent.actual.split('\n').at(-1)).toBe('A: eof');
  });

  it('fails reset when the server closes cleanly, and eof when it resets', async ({ expect }) => {
    const reset = await run([
      '$ server',
      'listening on 12345',
      'A: connect',
      'connection on 12345 from {A.addr}:{A.port}',
      'A: send "close\\n"',
      'A: reset',
    ]);
    expect(reset.failure?.message).toBe('Expected the connection to be reset at client A, but it got `A: eof`.');
    const eof = await run([
      '$ server',
      'listening on 12345',
      'A: connect',
      'connection on 12345 from {A.addr}:{A.port}',
      'A: send "reset\\n"',
      'A: eof',
    ]);
    expect(eof.failure?.message).toBe(
      'Expected the server to close the connection at client A, but it got `A: reset`.',
    );
  });

  it('says when the connection stayed open', async ({ expect }) => {
    const result = await run(['$ server', 'listening on 12345', 'A: connect', 'A: eof']);
    expect(result.complete).toBe(false);
    expect(result.failure?.message).toMatch(
      /^Waited \d+\.\d s for the server to close the connection at client A, but it stayed open/,
    );
  });

  it('checks the exit code and records the real one', async ({ expect }) => {
    const result = await run([
      '$ server',
      'listening on 12345',
      'A: connect',
      'connection on 12345 from {A.addr}:{A.port}',
      'A: send "exit 4\\n"',
      '[exit 5]',
    ]);
    expect(result.failure?.step?.line).toBe(6);
    expect(result.failure?.message).toBe('Expected the program to exit with code 5, but it exited with code 4.');
    expect(result.actual.split('\n').at(-1)).toBe('[exit 4]');
  });

  it('fails when a program that exited printed more than the transcript expects', async ({ expect }) => {
    const result = await run([
      '$ server',
      'listening on 12345',
      'A: connect',
      'A: send "warn\\npid\\nexit 0\\n"',
      '[exit 0]',
    ]);
    expect(result.passed).toBe(false);
    expect(result.complete).toBe(true);
    expect(result.failure?.step).toBeUndefined();
    expect(result.failure?.message).toMatch(
      /^The program printed more than the transcript expects on stdout, starting with `connection on 12345 from /,
    );
    // What it printed came before it exited, so `[exit N]` comes last, never in the middle of its output.
    expect(result.actual.split('\n').slice(-4)).toEqual([
      'connection on 12345 from {A.addr}:{A.port}',
      'pid {pid}',
      '! warning: careful',
      '[exit 0]',
    ]);
  });

  it('shows the real port as the one the program asked for, even when 12345 is busy', async ({ expect }) => {
    const result = await run([
      '[busy 12345]',
      '$ server 23456',
      'listening on 23456',
      'A: connect 23456',
      'connection on 23456 from {A.addr}:{A.port}',
    ]);
    expect(result.failure).toBeUndefined();
    expect(result.passed).toBe(true);
  });

  it('shows the real port as the one asked for even when the program prints it the moment it listens', async ({
    expect,
  }) => {
    // The port report and the printed line travel on different pipes: a race the runner must never lose. Several
    // runs at once make losing it likely: listen-forms prints from a 'listening' handler added before listen().
    const runs = [
      ...Array.from({ length: 6 }, () =>
        run(['$ server number', 'listening on 127.0.0.1 12345'], { programFile: FORMS }),
      ),
      ...Array.from({ length: 6 }, () => run(['$ server 12345 23456', 'listening on 12345', 'listening on 23456'])),
    ];
    const failures = (await Promise.all(runs)).flatMap((result) => (result.passed ? [] : [result.failure?.message]));
    expect(failures).toEqual([]);
  });

  it('says which port it waited for when the program never listens on it', async ({ expect }) => {
    const result = await run(['$ server 12345', 'A: connect 23456'], { startTimeoutMs: 500 });
    expect(result.failure?.step?.line).toBe(2);
    // Named at once once it is known where the program does listen; before that, after the wait.
    expect(result.failure?.message).toMatch(
      /^(?:Waited \d+\.\d s for the program to listen on port 23456, but it never did|Client A could not connect to port 23456: the program listens on 12345, not on 23456\.)/,
    );
  });

  it('fails a program that is still running after ^C', async ({ expect }) => {
    const result = await run(['$ server', 'Listening', '^C'], { programFile: STUBBORN });
    expect(result.passed).toBe(false);
    expect(result.failure?.message).toMatch(/^The program was still running \d+\.\d s after Ctrl-C\.$/);
  });

  it('close sends everything written before it, then a clean FIN', async ({ expect }) => {
    // More than a loopback socket buffer holds, so part of it is still queued in the client when `close` comes.
    const size = 16 * 1024 * 1024;
    const { text, options } = withProgram(
      [
        '$ server',
        'listening',
        'A: connect',
        `A: send "x" * ${size}`,
        'A: close',
        `received ${size} bytes, then a FIN`,
      ],
      COUNTER,
    );
    const steps: Step[] = parseTranscript(text, 'big.txt');
    const result = await runScenario('big.txt', text, steps, options);
    expect(result.failure?.message).toBeUndefined();
    expect(result.passed).toBe(true);
  });
});

// Not concurrent: NODE_OPTIONS is set for every program this worker starts while the test runs.
describe('runScenario on a slow machine', () => {
  it('gives the program the start timeout to boot, then the step timeout', async () => {
    vi.stubEnv('NODE_OPTIONS', `${process.env.NODE_OPTIONS ?? ''} --import ${pathToFileURL(SLOW_BOOT).href}`.trim());
    try {
      // Node boots for a second, longer than the 300 ms step timeout; then `ready` comes at once, `late` 3 s later.
      const result = await run(['$ server', 'ready', 'late'], { programFile: READY_THEN_LATE, stepTimeoutMs: 300 });
      expect(result.failure?.step?.line).toBe(3);
      expect(result.failure?.message).toMatch(
        /^Waited \d+\.\d s for the program to print `late` on stdout, but it printed nothing more\.$/,
      );
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('says so when the program never starts', async () => {
    vi.stubEnv('NODE_OPTIONS', `${process.env.NODE_OPTIONS ?? ''} --import ${pathToFileURL(SLOW_BOOT).href}`.trim());
    try {
      const result = await run(['$ server', 'ready'], { programFile: READY_THEN_LATE, startTimeoutMs: 300 });
      expect(result.failure?.step?.line).toBe(2);
      expect(result.failure?.message).toMatch(/^Waited \d+\.\d s for the program to start, but it never did\.$/);
    } finally {
      vi.unstubAllEnvs();
    }
  });
});

describe('a program Node cannot strip', () => {
  it("keeps Node's whole message when it comes after more than a dozen lines of stderr", async () => {
    // An enum of 20 members: Node quotes every line of it before the SyntaxError.
    const members = Array.from({ length: 20 }, (_, index) => `  Member${index},`);
    const file = join(mkdtempSync(join(tmpdir(), 'workbook-enum-')), 'enum-server.ts');
    writeFileSync(
      file,
      `console.log('listening on 12345');\nenum Big {\n${members.join('\n')}\n}\nconsole.log(Big);\n`,
    );
    const result = await run(['$ server', 'listening on 12345', '^C'], { programFile: file });
    expect(result.passed).toBe(false);
    expect(compileError(result.failure?.stderr, serverDirFor(file))).toMatch(
      /^server\.ts:2: TypeScript enum is not supported in strip-only mode \(Node runs a \.ts file by erasing its types/,
    );
  });
});
