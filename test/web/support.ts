// Shared by the web tests: a copy of the fixture course, the real `npm run web` command on it, and what is left after.
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COURSE, startCommand, waitUntil, type Running } from '../support.ts';

const temporary: string[] = [];

export function copyCourse(prefix = 'workbook-web-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cpSync(COURSE, dir, { recursive: true, filter: (source) => !source.includes('.workbook') });
  temporary.push(dir);
  return dir;
}

/** Cleanup after a failed test: SIGKILL whatever still runs from a copy (its command line names the copy). */
export function removeCopies(): void {
  for (const dir of temporary.splice(0)) {
    for (const pid of processesUnder(dir)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Ended in the meantime.
      }
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface Web extends Running {
  url: string;
  port: number;
}

/** Starts `npm run web -- --root ROOT ARGS` (as npm would) and waits for the address it prints. */
export async function startWeb(
  root: string,
  args: string[] = [],
  env: NodeJS.ProcessEnv = {},
  hangGuardMs = 60_000,
): Promise<Web> {
  const run = startCommand('scripts/web.ts', ['--root', root, ...args], env, hangGuardMs);
  const url = await waitUntil(
    'the workbook address',
    () =>
      /Workbook: (http:\/\/127\.0\.0\.1:(\d+)\/)/.exec(run.output.stdout) ??
      (run.child.exitCode !== null ? false : undefined),
    30_000,
  ).catch((error: Error) => {
    throw new Error(`${error.message}\nstdout: ${run.output.stdout}\nstderr: ${run.output.stderr}`);
  });
  return { ...run, url: url[1], port: Number(url[2]) };
}

/** One HTTP request over loopback: the status, the headers and the body. */
export function request(
  url: string,
  options: http.RequestOptions = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = http.request(url, options, (response) => {
      let body = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
    });
    outgoing.on('error', reject).end();
  });
}

/**
 * A GET whose path goes out byte for byte as written, `..` and all: a URL string (fetch, http.get) is normalised
 * before it is sent, so it could never ask for /../package.json. Resolves to the status and the body.
 */
export function rawGet(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let response = '';
    socket.setEncoding('utf8').on('data', (chunk: string) => (response += chunk));
    socket.on('connect', () =>
      socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`),
    );
    socket.on('error', reject).on('end', () => {
      const status = Number(/^HTTP\/1\.1 (\d{3}) /.exec(response)?.[1] ?? 0);
      resolve({ status, body: response.slice(response.indexOf('\r\n\r\n') + 4) });
    });
  });
}

/**
 * An open server-sent-event stream: the events so far, its status, and a way to hang up as a closed tab would. Sent
 * as the workbook's own page sends it (`Sec-Fetch-Site: same-origin`), unless `site` says otherwise ('': none).
 */
export function openEvents(
  url: string,
  site = 'same-origin',
): { events: { event: string; data: any }[]; status: () => number | undefined; close: () => void } {
  const events: { event: string; data: any }[] = [];
  let buffer = '';
  let status: number | undefined;
  const outgoing = http.get(url, { headers: site ? { 'sec-fetch-site': site } : {} }, (response) => {
    status = response.statusCode;
    response.setEncoding('utf8').on('data', (chunk: string) => {
      buffer += chunk;
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
        events.push({ event, data: JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? 'null') });
      }
    });
  });
  outgoing.on('error', () => {});
  return { events, status: () => status, close: () => outgoing.destroy() };
}

/** Processes whose command line names this folder: a program of one of its lessons that is still running. */
export function processesUnder(dir: string): number[] {
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${name}/cmdline`, 'utf8').includes(dir)) found.push(Number(name));
    } catch {
      // Ended while we looked.
    }
  }
  return found;
}
