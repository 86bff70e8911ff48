import net from 'node:net';
import cluster from 'node:cluster';
import { pbkdf2Sync } from 'node:crypto';
import { Worker } from 'node:worker_threads';

const SERVER_NAME = 'localhost';
const SERVER_PORT = 12345;
const USAGE = 'Usage: server.ts [--cpu ITERATIONS] [--threads N | --processes N]';
// PBKDF2 takes at most 2^31 - 1 iterations: with more, every piece's work would fail.
const MAX_ITERATIONS = 2147483647;

interface Options {
  cpu: number;
  threads: number;
  processes: number;
}

function parseArguments(args: string[]): Options {
  const options: Options = { cpu: 0, threads: 0, processes: 0 };
  for (let i = 0; i < args.length; i += 2) {
    const flag = args[i];
    const value = args[i + 1] ?? '';
    if (!['--cpu', '--threads', '--processes'].includes(flag) || !/^\d+$/.test(value)) {
      console.error(USAGE);
      process.exit(2);
    }
    options[flag.slice(2) as keyof Options] = Number(value);
  }
  if (options.cpu > MAX_ITERATIONS) {
    console.error(`${USAGE}: --cpu is at most ${MAX_ITERATIONS}`);
    process.exit(2);
  }
  // TODO: with both --threads and --processes above 0, print `${USAGE}: threads or processes, not both` on stderr
  // and exit with code 2.
  return options;
}

// The CPU-heavy part of a request: PBKDF2 is a key-derivation function, slow on purpose, ITERATIONS rounds of SHA-256.
function work(data: Buffer, iterations: number): void {
  if (iterations > 0) pbkdf2Sync(data, 'workbook', iterations, 32, 'sha256');
}

// The same work in a worker thread. The worker's code is plain JavaScript, so it needs no TypeScript loader.
const WORKER_CODE = `
const { parentPort } = require('node:worker_threads');
const { pbkdf2Sync } = require('node:crypto');
parentPort.on('message', ({ data, iterations }) => {
  // As work() does: PBKDF2 refuses 0 iterations, and an error here would end the whole program.
  if (iterations > 0) pbkdf2Sync(data, 'workbook', iterations, 32, 'sha256');
  parentPort.postMessage('done');
});
`;

// A pre-allocated pool: N threads started once; a job waits in the queue while all of them are busy.
class ThreadPool {
  private idle: Worker[] = [];
  private queue: { data: Buffer; iterations: number; done: () => void }[] = [];

  // Counted from the threads really started, so that the start line says what runs.
  readonly size: number;

  constructor(size: number) {
    for (let n = 0; n < size; n++) {
      const worker = new Worker(WORKER_CODE, { eval: true });
      worker.unref();
      this.idle.push(worker);
    }
    this.size = this.idle.length;
  }

  // TODO (by hand, not graded): return a promise that queues { data, iterations, done } and calls this.next().
  run(data: Buffer, iterations: number): Promise<void> {
    work(data, iterations);
    return Promise.resolve();
  }

  // TODO (by hand, not graded): when a worker is idle and a job waits, take both, post { data, iterations } to the
  // worker, and on its one 'message' call the job's done(), put the worker back in this.idle and call this.next().
  private next(): void {}
}

/** The client as `address:port`; one that connects and resets at once may be gone before Node accepts it. */
function describePeer(conn: net.Socket): string {
  if (conn.remoteAddress === undefined) return 'a client that has already gone';
  return `${conn.remoteAddress}:${conn.remotePort}`;
}

async function serveClient(conn: net.Socket, options: Options, pool: ThreadPool | undefined): Promise<void> {
  const peer = describePeer(conn);
  conn.on('error', (error) => console.log(`Error from ${peer}: ${error.message}`));
  // TODO: for await each piece of conn.iterator({ destroyOnReturn: false }): do its CPU work (await pool.run(...)
  // when there is a pool, work(...) on this thread otherwise), write it back and count its bytes. When the client
  // has ended, conn.end() and print `Closed ${peer}: echoed ${echoed} bytes`. Put the loop in a try/catch that
  // returns: a client's reset makes the loop throw, and nothing awaits serveClient to catch it.
}

/** Starts listening, and returns the set of open connections, kept for Ctrl-C to count. */
function startServer(options: Options, pool: ThreadPool | undefined): Set<net.Socket> {
  const open = new Set<net.Socket>();
  // allowHalfOpen: a client that ends its side while pieces are still being worked on still gets their echo.
  const server = net.createServer({ allowHalfOpen: true }, (conn) => {
    open.add(conn);
    conn.on('close', () => open.delete(conn));
    void serveClient(conn, options, pool);
  });
  server.on('error', (error) => {
    console.error(`Server error: ${error.message}`);
    process.exit(1);
  });
  server.listen({ host: SERVER_NAME, port: SERVER_PORT, backlog: 511 });
  return open;
}

const options = parseArguments(process.argv.slice(2));
if (options.processes > 0 && cluster.isPrimary) {
  // The primary only starts the workers; each one runs this file again, listens, and shares the primary's socket.
  console.log(`Starting server on '${SERVER_NAME}' port ${SERVER_PORT}: ${options.processes} processes`);
  // TODO (by hand, not graded): start options.processes workers with cluster.fork().
  // A worker that dies after it began to serve is replaced, so a crash costs only its own clients; one that never
  // listened (a busy port, say) is not, or the primary would start workers forever.
  const serving = new Set<number>();
  cluster.on('listening', (worker) => serving.add(worker.id));
  cluster.on('exit', (worker, code, signal) => {
    if (!serving.has(worker.id)) return;
    console.log(`Worker ${worker.process.pid} ended (${signal ?? `code ${code}`}): starting another`);
    cluster.fork();
  });
  process.on('SIGINT', () => {
    const workers = Object.values(cluster.workers ?? {});
    // Once the goodbye is written, the workers are stopped and the primary exits at once, so none is replaced.
    process.stdout.write(`Goodbye: stopping ${workers.length} processes\n`, () => {
      for (const worker of workers) worker?.kill();
      process.exit(0);
    });
  });
} else if (options.processes > 0) {
  // A terminal's Ctrl-C reaches every process of the program: the primary says goodbye and stops this one.
  process.on('SIGINT', () => {});
  startServer(options, undefined);
} else {
  const pool = options.threads > 0 ? new ThreadPool(options.threads) : undefined;
  const how = pool ? `a pool of ${pool.size} threads` : 'the main thread';
  console.log(`Starting server on '${SERVER_NAME}' port ${SERVER_PORT}: ${options.cpu} iterations a piece, on ${how}`);
  const open = startServer(options, pool);
  // At once: server.close() would wait for every client to leave. Exiting closes the listener and every connection;
  // it waits only until the goodbye is written, which to a pipe may finish later.
  process.on('SIGINT', () => {
    process.stdout.write(`Goodbye: closing the listener and ${open.size} open connection(s)\n`, () => process.exit(0));
  });
}
