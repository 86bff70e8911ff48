import http from 'node:http';
import path from 'node:path';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';

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

  // TODO: if url.pathname is '/api/echo', take msg = url.searchParams.get('msg') ?? '', send status 200 with the
  // type 'application/json' and the body JSON.stringify({ echo: msg, length: msg.length }), and return.

  let name: string;
  try {
    // %2f is a slash and %2e%2e is "..": decode first, then check where the path really leads.
    name = decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname);
  } catch {
    send(res, 400, 'text/plain; charset=utf-8', 'Bad request: the path is not valid percent-encoding\n');
    return;
  }
  const file = path.join(ROOT, name);
  // TODO: path.join resolves "..", so file may now be outside ROOT. Unless file.startsWith(ROOT + path.sep), send
  // 403 with the body 'Forbidden\n' (type 'text/plain; charset=utf-8') and return without reading anything.

  // TODO: read the file with `await readFile(file)` inside a try, and send it with status 200 and the type
  // CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream'. Only when reading fails, send the 404 below.
  send(res, 404, 'text/plain; charset=utf-8', `Not found: ${url.pathname}\n`);
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
