// Alternative: the root check uses path.relative, and a file is sent with stat() for its Content-Length and a read stream piped to the response.
// Replaces: http-server.ts
import http from 'node:http';
import path from 'node:path';
import { once } from 'node:events';
import { stat } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';

const SERVER_NAME = 'localhost';
const SERVER_PORT = 8080;

// The folder whose files the server hands out, from the command line, relative to where you start the server.
const FOLDER = process.argv[2] ?? 'lessons/18-http/public';
const ROOT = path.resolve(FOLDER);

// The file name's extension decides the Content-Type: the browser trusts this header, not the file's contents.
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
};

function send(res: http.ServerResponse, status: number, type: string, body: string | Buffer): void {
  // With a Content-Length the client knows where the body ends, and the connection can carry another request.
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

async function handleRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const target = req.url ?? '';
  // Only a path is served: not "*" or a whole URL, the targets of OPTIONS and of requests sent to a proxy.
  if (!target.startsWith('/')) {
    send(res, 400, 'text/plain; charset=utf-8', 'Bad request: the target must be a path that starts with /\n');
    return;
  }
  // The base goes in front as text, so the target stays a path: new URL(target, base) would read a target that
  // starts with // as a host name (//sub/index.html: host sub, path /index.html).
  const url = new URL(`http://localhost${target}`);

  if (url.pathname === '/api/echo') {
    const msg = url.searchParams.get('msg') ?? '';
    send(res, 200, 'application/json', JSON.stringify({ echo: msg, length: msg.length }));
    return;
  }

  let name: string;
  try {
    // %2f is a slash and %2e%2e is "..": decode first, then check where the path really leads.
    name = decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname);
  } catch {
    send(res, 400, 'text/plain; charset=utf-8', 'Bad request: the path is not valid percent-encoding\n');
    return;
  }
  const file = path.join(ROOT, name);
  // Outside the root, the relative path climbs: it is ".." or starts with "../".
  const relative = path.relative(ROOT, file);
  if (relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)) {
    send(res, 403, 'text/plain; charset=utf-8', 'Forbidden\n');
    return;
  }
  let size: number;
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new Error('not a file');
    size = info.size;
  } catch {
    send(res, 404, 'text/plain; charset=utf-8', `Not found: ${url.pathname}\n`);
    return;
  }
  res.writeHead(200, { 'Content-Type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream', 'Content-Length': size });
  await pipeline(createReadStream(file), res);
}

const server = http.createServer((req, res) => {
  res.on('finish', () => console.log(`${req.method} ${req.url} ${res.statusCode}`));
  handleRequest(req, res).catch((error: Error) => {
    console.error(`Error while answering ${req.url}: ${error.message}`);
    if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', 'Internal server error\n');
  });
});
server.listen({ host: SERVER_NAME, port: SERVER_PORT });
await once(server, 'listening');
console.log(`Serving ${FOLDER} on http://${SERVER_NAME}:${SERVER_PORT}/`);
