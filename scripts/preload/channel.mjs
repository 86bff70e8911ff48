// The preload's line to the runner: messages out on a plain pipe (fd 3), Ctrl-C in, and an end when the runner goes.
import cluster from 'node:cluster';
import net from 'node:net';
import { constants } from 'node:os';

// Taken before the program loads: the program can read neither the token nor the channel from its environment, and a
// process it starts does not inherit them.
const token = process.env.WORKBOOK_IPC_TOKEN;
delete process.env.WORKBOOK_IPC_TOKEN;
const fd = Number(process.env.WORKBOOK_CHANNEL);
delete process.env.WORKBOOK_CHANNEL;

/** @type {net.Socket | undefined} */
let channel;

// reallyExit skips 'exit' handlers and a program's own wrapping of process.exit.
const internal =
  /** @type {{ reallyExit?: (code: number) => never, _kill?: (pid: number, signal: number) => number }} */ (
    /** @type {unknown} */ (process)
  );
const exitNow = internal.reallyExit?.bind(process) ?? process.exit.bind(process);

/**
 * Tells the runner something, with the token that makes it count.
 * @param {Record<string, unknown>} message
 */
export function tell(message) {
  if (channel) {
    if (channel.writable) channel.write(`${JSON.stringify({ ...message, token })}\n`);
    return;
  }
  // A process of a cluster the program started (lesson 20): its primary passes on where it listens.
  if (cluster.isWorker && message.type === 'listening') process.send?.({ workbook: message });
}

/** @type {import('node:cluster').Worker[]} */
const listened = [];
let killAsked = false;

/**
 * `[kill a worker]`: once every live worker listens (the port stays open through the others), the first of them
 * ends as a crash would end it.
 */
function killWorker() {
  killAsked = true;
  const live = Object.values(cluster.workers ?? {}).filter((worker) => worker && !worker.isDead());
  if (live.length === 0 || !live.every((worker) => worker && listened.includes(worker))) return;
  killAsked = false;
  live[0]?.process.kill('SIGKILL');
  tell({ type: 'killed-worker' });
}

/** The runner asks for Ctrl-C over the channel where it cannot send SIGINT (Windows). */
function interrupt() {
  if (process.listenerCount('SIGINT') > 0) process.emit('SIGINT', 'SIGINT');
  else process.exit(130);
}

/** Opens the channel the runner gave (none when the program runs by hand, or in a cluster's worker). */
export function openChannel() {
  if (!Number.isInteger(fd) || fd < 3) return;
  channel = new net.Socket({ fd, readable: true, writable: true });
  // The channel must not keep a finished program alive.
  channel.unref();
  channel.on('error', () => {});
  // A runner that is gone (killed, out of memory, its terminal closed) takes its programs with it.
  channel.on('end', () => exitNow(129));
  channel.on('close', () => exitNow(129));
  let pending = '';
  channel.setEncoding('utf8').on('data', (/** @type {string} */ text) => {
    const lines = (pending + text).split('\n');
    // Only the runner writes here, a few bytes a time: a line longer than that is not its.
    pending = /** @type {string} */ (lines.pop()).slice(0, 256);
    if (process.env.WORKBOOK_INTERRUPT === 'ipc' && lines.includes('{"type":"interrupt"}')) interrupt();
    if (lines.includes('{"type":"kill-worker"}')) killWorker();
  });
  // The primary of a cluster passes on where its workers listen: they share the port the runner must connect to.
  if (cluster.isPrimary) {
    cluster.on('message', (_worker, /** @type {{ workbook?: Record<string, unknown> } | null} */ message) => {
      if (message?.workbook?.type === 'listening') tell(message.workbook);
    });
    // The program's own 'listening' handlers run right after this one: a worker killed here is one they know served.
    cluster.on('listening', (worker) => {
      listened.push(worker);
      if (killAsked) killWorker();
    });
  }
  guardSignals();
}

/**
 * Under Node's permission model (grading without bubblewrap) a program may signal only itself: the model does not
 * cover signals, and where it runs as the grader's own user, `process.kill(-1)` would end the grader and the report.
 */
function guardSignals() {
  const original = internal._kill;
  if (!process.permission || typeof original !== 'function') return;
  const own = process.pid;
  const guarded = (/** @type {number} */ pid, /** @type {number} */ signal) =>
    pid === own ? original.call(process, pid, signal) : -constants.errno.EPERM;
  Object.defineProperty(process, '_kill', { value: guarded, writable: false, configurable: false });
}
