// The steps issue 8 added, run for real: a port asked for, loopback only, `...`, files in {dir}, and flood.
import { existsSync } from 'node:fs';
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clientStep } from '../../scripts/scenario/actions.ts';
import { ScenarioContext, StepFailed } from '../../scripts/scenario/context.ts';
import type { Program } from '../../scripts/run/program.ts';
import { runScenario, type ScenarioResult, type ScenarioOptions } from '../../scripts/scenario/scenario.ts';
import { parseTranscript } from '../../scripts/transcript/parse.ts';
import { OPTIONS, STEPS } from './steps-fixture.ts';

function run(lines: string[], options: Partial<ScenarioOptions> = {}): Promise<ScenarioResult> {
  const text = `${lines.join('\n')}\n`;
  return runScenario('inline.txt', text, parseTranscript(text, 'inline.txt'), { ...OPTIONS, ...options });
}

/** A context whose program reports one listener, as the preload would: no process, no socket. */
function listeningAt(address: string, requested: number): ScenarioContext {
  const context = new ScenarioContext({ ...OPTIONS, startTimeoutMs: 60_000 });
  const program = {
    listening: [{ protocol: 'tcp', requested, port: 1, address }],
    changes: new EventEmitter(),
    stdout: { lines: [] },
    stderr: { lines: [] },
  };
  context.program = program as unknown as Program;
  return context;
}

async function connectFailure(context: ScenarioContext, source: string): Promise<string> {
  const [, step] = parseTranscript(`$ server\n${source}\n`, 'inline.txt');
  const action = step.kind === 'client' ? step.action : undefined;
  try {
    await clientStep(context, step, 'A', action!);
  } catch (error) {
    if (error instanceof StepFailed) return error.failure.message;
    throw error;
  }
  return 'it connected';
}

describe('A: connect, judged before connecting', () => {
  it('fails at once, naming the port, when the program listens on another port than the one asked for', async () => {
    // The start timeout is a minute: only the immediate answer can come back with this message.
    const message = await connectFailure(listeningAt('127.0.0.1', 12345), 'A: connect 40000');
    expect(message).toBe('Client A could not connect to port 40000: the program listens on 12345, not on 40000.');
  });

  it.each(['0.0.0.0', '::'])('fails when the program listens on every interface (%s)', async (address) => {
    const message = await connectFailure(listeningAt(address, 12345), 'A: connect');
    expect(message).toBe(
      `The program listens on ${address} (every interface), so other machines can reach it: listen on loopback only (127.0.0.1 or ::1, which 'localhost' gives).`,
    );
  });

  it('fails when the program listens on an address of a real interface', async () => {
    const message = await connectFailure(listeningAt('192.0.2.7', 12345), 'A: connect 12345');
    expect(message).toMatch(/^The program listens on 192\.0\.2\.7, so other machines can reach it/);
  });
});

describe.concurrent('the new steps over real sockets', () => {
  it('connects to the port asked for, and says at once where a real program listens instead', async () => {
    const good = await run(['$ echo', 'listening', 'A: connect 12345', 'A: send "x"', 'A: recv "x"', 'A: close']);
    expect(good.failure).toBeUndefined();
    const bad = await run(['$ echo', 'listening', 'A: connect 40000', 'A: close'], { startTimeoutMs: 60_000 });
    expect(bad.failure?.step?.line).toBe(3);
    expect(bad.failure?.message).toBe(
      'Client A could not connect to port 40000: the program listens on 12345, not on 40000.',
    );
  });

  it('passes over any lines after `...`, up to the next line expected, and at the end', async () => {
    const result = await run(['$ two-streams', '...', 'ready', '! ...', 'A: connect', 'A: close', '^C']);
    expect(result.failure).toBeUndefined();
    expect(result.actual).toBe(result.expected);
    // Without `...` the same lines fail.
    const strict = await run(['$ two-streams', 'ready', 'A: connect', 'A: close', '^C']);
    expect(strict.failure?.message).toBe('Expected the program to print `ready` on stdout, but it printed `one`.');
  });

  it('says what the program printed on the other stream instead, with its ports as asked, and shows it in the diff', async () => {
    const result = await run(['$ two-streams', '...', 'ready', 'not printed', 'A: connect', '^C']);
    expect(result.failure?.message).toMatch(
      /^Waited \d+\.\d s for the program to print `not printed` on stdout, but it printed nothing more there; on stderr it printed `warning: something on port 12345`\.$/,
    );
    expect(result.actual.split('\n')).toContain('! warning: something on port 12345');
    expect(result.failure?.stderr).toEqual(['warning: something on port 12345']);
  });

  it('reads a file the program wrote in {dir}, a folder of its own that is gone afterwards', async () => {
    const result = await run(['$ writes {dir}/out.txt', 'wrote', '[exit 0]', '= {dir}/out.txt: hello']);
    expect(result.failure).toBeUndefined();
    expect(result.actual).toBe(result.expected);
    const wrong = await run(['$ writes {dir}/out.txt', 'wrote', '[exit 0]', '= {dir}/out.txt: goodbye']);
    expect(wrong.failure?.message).toBe('Expected line 1 of {dir}/out.txt to be `goodbye`, but it is `hello`.');
    expect(wrong.actual.split('\n').at(-1)).toBe('= {dir}/out.txt: hello');
  });

  it('gives a helper started with & its {dir} arguments as the run folder, where the program finds them', async () => {
    const result = await run([
      '& test/fixtures/steps/writes-then-listens.ts {dir}/helper.txt',
      '$ writes {dir}/out.txt',
      'wrote',
      '[exit 0]',
      '= {dir}/helper.txt: from the helper',
      '= {dir}/out.txt: hello',
    ]);
    expect(result.failure).toBeUndefined();
    expect(result.passed).toBe(true);
  });

  it('fails on a file line the transcript does not expect, and on a file that was never written', async () => {
    const extra = await run(['$ writes {dir}/out.txt', 'wrote', '[exit 0]']);
    expect(extra.failure).toBeUndefined();
    const missing = await run(['$ writes {dir}/out.txt', 'wrote', '[exit 0]', '= {dir}/other.txt: hello']);
    expect(missing.failure?.message).toBe(
      'Expected {dir}/other.txt to hold `hello`, but the program never wrote that file.',
    );
    const short = await run([
      '$ writes {dir}/out.txt',
      'wrote',
      '[exit 0]',
      '= {dir}/out.txt: hello',
      '= {dir}/out.txt: more',
    ]);
    expect(short.failure?.message).toBe(
      'Expected line 2 of {dir}/out.txt to be `more`, but the file ends after 1 line.',
    );
  });

  it('lets a graded program write in {dir}, and only there', async () => {
    const result = await run(['$ writes {dir}/out.txt', 'wrote', '[exit 0]', '= {dir}/out.txt: hello'], {
      sandbox: true,
    });
    expect(result.failure).toBeUndefined();
    const outside = await run(['$ writes out-of-dir.txt', 'could not write: ERR_ACCESS_DENIED', '[exit 0]'], {
      sandbox: true,
    });
    expect(outside.failure).toBeUndefined();
    expect(existsSync(join(STEPS, 'out-of-dir.txt'))).toBe(false);
  });

  it('A: flood passes a server that stops reading while its writes back up (pipe)', async () => {
    const result = await run(['$ echo', 'listening', 'A: connect', 'A: pause', 'A: flood', 'A: close']);
    expect(result.failure).toBeUndefined();
  });

  it('A: flood fails a server that goes on reading whatever write() says', async () => {
    const result = await run(['$ naive-echo', 'listening', 'A: connect', 'A: pause', 'A: flood', 'A: close']);
    expect(result.failure?.step?.line).toBe(5);
    expect(result.failure?.message).toMatch(
      /^Client A sent 67108864 bytes without reading, and the server took them all|^Client A's writes were still being taken after/,
    );
  });
});

describe('[busy PORT on restart]', () => {
  const RELISTEN = ['$ relisten', 'listening', '< again'];

  it('lets the first listen succeed and has every later listen on that port meet EADDRINUSE', async () => {
    const result = await run(['[busy 12345 on restart]', ...RELISTEN, 'listen failed: EADDRINUSE', '< ^D']);
    expect(result.failure).toBeUndefined();
    expect(result.passed).toBe(true);
  });

  it('without it, listening again on the same port succeeds', async () => {
    const taken = await run([...RELISTEN, 'listen failed: EADDRINUSE', '< ^D']);
    expect(taken.failure?.message).toBe(
      'Expected the program to print `listen failed: EADDRINUSE` on stdout, but it printed `listening`.',
    );
  });
});

describe('[kill a worker]', () => {
  it('ends one worker of the cluster by SIGKILL once both listen, and the other goes on serving', async () => {
    const result = await run([
      '$ workers',
      'both listening',
      '[kill a worker]',
      'a worker ended (SIGKILL)',
      'A: connect',
      'A: send "still here"',
      'A: recv "still here"',
      'A: close',
      '^C',
      '[exit 0]',
    ]);
    expect(result.failure).toBeUndefined();
    expect(result.passed).toBe(true);
  });

  it('says so, and kills nothing, in a program that has no cluster workers', async () => {
    const result = await run(['$ relisten', 'listening', '[kill a worker]', '< ^D', '[exit 0]'], {
      startTimeoutMs: 300,
    });
    expect(result.failure?.message).toMatch(
      /^Waited \d+\.\d s for every worker of the program's cluster to listen, to kill one, but none came: the primary starts them with cluster\.fork\(\)\.$/,
    );
  });
});
