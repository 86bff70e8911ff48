// Preloaded into the program under test: gives it a free port for each fixed port it asks for, and tells the runner.
import net from 'node:net';

// Requested port → the real port to use instead (0: any free port; a busy port to simulate "already in use").
const forced: Record<string, number> = JSON.parse(process.env.WORKBOOK_PORTS ?? '{}');

type ListenArgs = unknown[];

function requestedPort(args: ListenArgs): number | undefined {
  const [first] = args;
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) return Number(first);
  if (first !== null && typeof first === 'object' && !Array.isArray(first) && 'port' in first) {
    return Number((first as { port: unknown }).port ?? 0);
  }
  if (first === undefined || typeof first === 'function') return 0;
  return undefined; // A pipe path or a handle: nothing to map.
}

function withPort(args: ListenArgs, port: number): ListenArgs {
  const [first, ...rest] = args;
  if (typeof first === 'object' && first !== null) return [{ ...first, port }, ...rest];
  if (first === undefined || typeof first === 'function') return [port, ...args];
  return [port, ...rest];
}

const originalListen = net.Server.prototype.listen;
net.Server.prototype.listen = function listen(this: net.Server, ...args: ListenArgs) {
  const requested = requestedPort(args);
  if (requested === undefined) return originalListen.apply(this, args as never);
  // First among the 'listening' handlers, so the runner hears of the port before the program can print it.
  this.prependOnceListener('listening', () => {
    const address = this.address();
    if (address && typeof address === 'object') {
      process.send?.({ type: 'listening', requested, port: address.port, address: address.address });
    }
  });
  return originalListen.apply(this, withPort(args, forced[requested] ?? 0) as never);
} as typeof originalListen;

// Windows cannot deliver SIGINT to another process, so the runner asks over IPC and we raise it here.
if (process.env.WORKBOOK_INTERRUPT === 'ipc') {
  process.on('message', (message: { type?: string }) => {
    if (message?.type !== 'interrupt') return;
    if (process.listenerCount('SIGINT') > 0) process.emit('SIGINT', 'SIGINT');
    else process.exit(130);
  });
}

// Node and the loader are up and the program is about to load: from here on, a step's timeout is fair to it.
process.send?.({ type: 'started' });

// The IPC channel must not keep a finished program alive.
process.channel?.unref();
