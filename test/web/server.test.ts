// Integration: the real `npm run web` on a copy of the fixture course, over loopback: its pages, a streamed check,
// hints, a busy port, bad flags, and that nothing outlives an abandoned check or Ctrl-C.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hasEnded, holdPort, ROOT, runCommand, tryConnect, waitUntil, within } from '../support.ts';
import {
  copyCourse,
  openEvents,
  processesUnder,
  rawGet,
  removeCopies,
  request,
  startWeb,
  type Web,
} from './support.ts';

afterAll(removeCopies);

/** Ctrl-C, as a learner would press it: the command must end by itself, with code 0, and leave nothing behind. */
async function interrupt(web: Web, root: string): Promise<void> {
  web.child.kill('SIGINT');
  const finished = await within('npm run web to end after Ctrl-C', web.finished);
  expect(finished.stderr).toBe('');
  expect(finished.code).toBe(0);
  expect(finished.stdout).toContain('Stopped: no check is left running.');
  expect(await tryConnect(web.port)).toBe('ECONNREFUSED');
  expect(processesUnder(root)).toEqual([]);
}

describe('npm run web', () => {
  it('stops by itself, freeing its port, when the npm that started it is killed (npm passes no signal on)', async () => {
    const root = copyCourse();
    const held = await holdPort(0);
    await held.release();
    // A stand-in for npm: it starts the command and is then killed, leaving the command without its parent.
    const npm = spawn(
      process.execPath,
      [
        '-e',
        `const child = require('node:child_process').spawn(process.execPath, ${JSON.stringify([
          '--import',
          './scripts/cli/check-node.mjs',
          'scripts/web.ts',
          '--root',
          root,
          '--port',
          String(held.port),
        ])}, { cwd: ${JSON.stringify(ROOT)}, stdio: ['ignore', 'inherit', 'inherit'] }); console.log('pid ' + child.pid);`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let said = '';
    npm.stdout.setEncoding('utf8').on('data', (text: string) => (said += text));
    await waitUntil('the workbook address', () => said.includes('Workbook: http'), 30_000);
    const pid = Number(/pid (\d+)/.exec(said)![1]);
    npm.kill('SIGKILL');
    await waitUntil('npm run web to end once its parent is gone', () => hasEnded(pid), 20_000);
    expect(await tryConnect(held.port)).toBe('ECONNREFUSED');
  });

  it('rejects a bad --port in one line, with exit code 2 and no stack trace', async () => {
    for (const port of ['abc', '70000', '0', '1e3']) {
      const run = await runCommand('scripts/web.ts', ['--port', port]);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(
        new RegExp(`^error: --port takes a port number from 1 to 65535, got '${port}'\\nusage: npm run web`),
      );
      expect(run.stderr).not.toMatch(/\n\s+at /);
      expect(run.stdout).toBe('');
    }
    const missing = await runCommand('scripts/web.ts', ['--port']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^error: .*--port.*\nusage: npm run web [^\n]*\n$/);
  });

  it('serves the course on 127.0.0.1 only, with each lesson and its status from the progress file', async () => {
    const root = copyCourse();
    mkdirSync(join(root, '.workbook'));
    const progress = {
      version: 1,
      lessons: {
        '01-echo': { passed: true, checkedAt: '2026-11-21T10:02:00.000Z', hintsShown: 0 },
        '02-does-not-compile': { passed: false, checkedAt: '2026-11-21T10:05:00.000Z', hintsShown: 0 },
      },
    };
    writeFileSync(join(root, '.workbook/progress.json'), JSON.stringify(progress));
    const held = await holdPort(0);
    await held.release();
    const web = await startWeb(root, ['--port', String(held.port)]);
    try {
      expect(web.port).toBe(held.port);
      const home = await request(web.url);
      expect(home.status).toBe(200);
      expect(home.body).toContain('<a href="/lessons/01-echo">Echo</a>');
      expect(home.body).toMatch(/01-echo">Echo<\/a>.*?✓<\/span> passes.*?2026-11-21 10:02 UTC/s);
      expect(home.body).toMatch(/02-does-not-compile<\/a>.*?✗<\/span> fails/s);
      expect(home.body).toMatch(/03-crash<\/a>.*?not checked/s);
      expect(home.body).toContain('Next: <a href="/lessons/02-does-not-compile">lesson 2');
      // The lesson page: the README, the scenarios drawn, and the assets it names, all served from here.
      const lesson = await request(`${web.url}lessons/01-echo`);
      expect(lesson.body).toContain('<h1 id="echo">Echo</h1>');
      expect(lesson.body).toMatch(/<figure class="scenario-expected" data-scenario="echo">.*?<svg [^>]*role="img"/s);
      // The README's hints are given one at a time, not all at once.
      expect(lesson.body).not.toContain('Write the chunk back');
      for (const path of ['/assets/style.css', '/assets/lesson.js', '/assets/highlight.css'])
        expect((await request(`${web.url}${path.slice(1)}`)).status).toBe(200);
      expect(lesson.body).not.toMatch(/(src|href)="(https?:)?\/\//);
      expect((await request(`${web.url}lessons/99-none`)).status).toBe(404);
      // A lesson by its number, as the commands take it: `/lessons/1` and `/lessons/01` lead to its page.
      for (const number of ['1', '01']) {
        const byNumber = await request(`${web.url}lessons/${number}`);
        expect(byNumber.status).toBe(302);
        expect(byNumber.headers.location).toBe('/lessons/01-echo');
      }
      expect((await request(`${web.url}lessons/99`)).status).toBe(404);
      // Paths that climb out of the served names, sent raw: nothing of the project's own files comes back.
      for (const path of ['/../package.json', '/assets/../../package.json', '/assets/%2e%2e/%2e%2e/package.json']) {
        const climbed = await rawGet(web.port, path);
        expect(climbed.status).toBe(404);
        expect(climbed.body).not.toContain('socket-server-workbook');
      }
      // Another site's page, or a DNS name rebound to this machine, is refused.
      expect((await request(web.url, { headers: { host: `evil.example:${web.port}` } })).status).toBe(403);
      // Loopback only: no other address of this machine answers.
      const others = Object.values(networkInterfaces())
        .flat()
        .filter((entry) => entry && !entry.internal && entry.family === 'IPv4');
      for (const other of others) expect(await tryConnect(web.port, other!.address)).not.toBe('connected');
      expect(await tryConnect(web.port, '::1')).not.toBe('connected');
    } finally {
      await interrupt(web, root);
    }
  });

  it('takes the next free port when the first is busy', async () => {
    const root = copyCourse();
    const busy = await holdPort(0);
    try {
      const web = await startWeb(root, ['--port', String(busy.port)]);
      expect(web.port).toBeGreaterThan(busy.port);
      await interrupt(web, root);
    } finally {
      await busy.release();
    }
  });

  it('streams each scenario as it finishes, records progress, and gives hints one at a time', async () => {
    const root = copyCourse();
    const web = await startWeb(root);
    const stream = openEvents(`${web.url}lessons/01-echo/check`);
    try {
      const stage = await waitUntil(
        'the verdict',
        () => stream.events.find((event) => event.event === 'stage'),
        30_000,
      );
      const names = stream.events.map((event) => event.event);
      expect(names.slice(0, 2)).toEqual(['watching', 'start']);
      expect(names.filter((name) => name === 'scenario')).toHaveLength(2);
      expect(names.indexOf('stage')).toBeGreaterThan(names.lastIndexOf('scenario'));
      const echo = stream.events.find((event) => event.event === 'scenario' && event.data.name === 'echo')!.data;
      expect(echo.passed).toBe(false);
      expect(echo.html).toContain('data-status="missing"');
      expect(echo.html).toContain('Waited 2.0 s for 6 bytes at client A, but nothing arrived.');
      expect(stage.data.passed).toBe(false);
      // The next hint is for the first failing scenario, and the page says so.
      expect(stage.data.hint).toMatchObject({ for: 'echo', seen: 0, total: 1 });
      expect(stage.data.html).toContain('<a href="#hints">The next hint</a> is for echo.');
      expect(echo.html).toContain('<details class="failure">');
      // The file is keyed by slug without its number, so renumbering a lesson keeps it.
      const saved = JSON.parse(readFileSync(join(root, '.workbook/progress.json'), 'utf8'));
      expect(saved.lessons.echo).toMatchObject({ passed: false, hintsShown: 0 });
      // A hint, as `npm run hint` gives it: the same state, one more each time.
      const hint = await request(`${web.url}lessons/01-echo/hint`, {
        method: 'POST',
        headers: { accept: 'application/json', origin: web.url.slice(0, -1) },
      });
      expect(JSON.parse(hint.body)).toMatchObject({ number: 1, total: 1 });
      expect(JSON.parse(readFileSync(join(root, '.workbook/progress.json'), 'utf8')).lessons.echo.hintsShown).toBe(1);
      const cli = await runCommand('scripts/hint.ts', ['1', '--root', root]);
      expect(cli.stdout).toContain('hint 1 of 1');
      expect(
        (
          await request(`${web.url}lessons/01-echo/hint`, {
            method: 'POST',
            headers: { origin: 'http://evil.example' },
          })
        ).status,
      ).toBe(403);
    } finally {
      stream.close();
      await interrupt(web, root);
    }
  });

  it('stops the program of a check whose page went away, and of one under way at Ctrl-C', async () => {
    const root = copyCourse();
    const pidFile = join(root, 'server-pid.json');
    const web = await startWeb(root, [], { FIXTURE_PID_FILE: pidFile });
    const readPid = (): number | undefined =>
      existsSync(pidFile) ? (JSON.parse(readFileSync(pidFile, 'utf8')) as { pid: number }).pid : undefined;
    const first = openEvents(`${web.url}lessons/08-ignores-sigterm-slow/check`);
    const abandoned = await waitUntil("the first check's server", readPid);
    first.close();
    // It ignores SIGTERM: only the runner's SIGKILL ends it, and that must come without the page asking.
    await waitUntil("the abandoned check's server to end", () => hasEnded(abandoned));
    writeFileSync(pidFile, '');
    const second = openEvents(`${web.url}lessons/08-ignores-sigterm-slow/check`);
    const running = await waitUntil("the second check's server", () =>
      readFileSync(pidFile, 'utf8') ? readPid() : undefined,
    );
    expect(running).not.toBe(abandoned);
    await interrupt(web, root);
    expect(hasEnded(running)).toBe(true);
    second.close();
  });
});

describe('npm run web starts checks for its own page alone', () => {
  it('refuses a check another site asks for (an <img>, with no Origin), and a second of a lesson already checking', async () => {
    const root = copyCourse();
    const pidFile = join(root, 'server-pid.json');
    const web = await startWeb(root, [], { FIXTURE_PID_FILE: pidFile });
    try {
      for (const site of ['cross-site', 'same-site', 'none', '']) {
        const refused = openEvents(`${web.url}lessons/08-ignores-sigterm-slow/check`, site);
        expect(await waitUntil(`the answer to Sec-Fetch-Site '${site}'`, refused.status)).toBe(403);
        refused.close();
      }
      expect(existsSync(pidFile)).toBe(false);
      const first = openEvents(`${web.url}lessons/08-ignores-sigterm-slow/check`);
      await waitUntil("the first check's server", () => existsSync(pidFile));
      const second = openEvents(`${web.url}lessons/08-ignores-sigterm-slow/check`);
      expect(await waitUntil('the answer to a second check', second.status)).toBe(409);
      expect(first.status()).toBe(200);
      // Another lesson may check at the same time.
      const other = openEvents(`${web.url}lessons/01-echo/check`);
      expect(await waitUntil('the answer to another lesson', other.status)).toBe(200);
      for (const stream of [first, second, other]) stream.close();
    } finally {
      await interrupt(web, root);
    }
  });
});
