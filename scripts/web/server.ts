// The workbook's web server: loopback only, its pages built from the course on every request, checks streamed.
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { listLessons, type Lesson } from '../course/lessons.ts';
import { WorkbookError } from '../kernel/errors.ts';
import { loadProgress } from '../course/progress.ts';
import type { TimingOptions } from '../grade/stage.ts';
import { asset } from './assets.ts';
import { CheckStreams } from './checks.ts';
import { renderReadme } from './markdown.ts';
import { html, page } from './html.ts';
import { homePage } from './home.ts';
import { lessonPage } from './pages.ts';
import { showNextHint, upcomingHint } from '../course/hints.ts';
import { lessonPath } from './results.ts';

export const HOST = '127.0.0.1';
export const DEFAULT_PORT = 4700;
/** How many ports after the first to try when it is taken. */
const PORT_TRIES = 20;

export interface WebOptions {
  root: string;
  /** The first port to try; the next free one is taken when it is busy. */
  port: number;
  timing: TimingOptions;
  poll: boolean;
}

export interface WebServer {
  url: string;
  port: number;
  checks: CheckStreams;
  /** Ends every check (and its programs) and stops listening. */
  close(): Promise<void>;
}

function send(response: ServerResponse, status: number, type: string, body: string | Buffer): void {
  response.writeHead(status, {
    'content-type': type,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  response.end(body);
}

const htmlType = 'text/html; charset=utf-8';

function notFound(response: ServerResponse, what: string): void {
  send(
    response,
    404,
    htmlType,
    page(
      'Not found',
      html`<h1>Not found</h1>
        <p>${what}</p>
        <p><a href="/">All lessons</a></p>`,
    ),
  );
}

/** Only this machine's own pages may talk to it: another site's page (or a rebound DNS name) is refused. */
function trusted(request: IncomingMessage, port: number): boolean {
  const hosts = [`${HOST}:${port}`, `localhost:${port}`];
  if (!hosts.includes(request.headers.host ?? '')) return false;
  const origin = request.headers.origin;
  return origin === undefined || hosts.some((host) => origin === `http://${host}`);
}

export async function startWebServer(options: WebOptions): Promise<WebServer> {
  const checks = new CheckStreams();
  let port = 0;
  const findLesson = (slug: string): { lessons: Lesson[]; lesson?: Lesson } => {
    const lessons = listLessons(options.root);
    const number = /^\d{1,2}$/.test(slug) ? Number(slug) : undefined;
    return { lessons, lesson: lessons.find((candidate) => candidate.slug === slug || candidate.number === number) };
  };
  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    if (!trusted(request, port))
      return send(response, 403, 'text/plain; charset=utf-8', 'This server answers only its own pages on 127.0.0.1.\n');
    const url = new URL(request.url ?? '/', `http://${HOST}:${port}`);
    const method = request.method ?? 'GET';
    const found = asset(url.pathname);
    if (found && method === 'GET') return send(response, 200, found.type, found.body);
    // Browsers ask for an icon unprompted; there is none, and that is not an error worth a 404 in the console.
    if (url.pathname === '/favicon.ico') return void response.writeHead(204).end();
    if (url.pathname === '/' && method === 'GET') {
      const { progress } = loadProgress(options.root);
      return send(response, 200, htmlType, homePage(options.root, listLessons(options.root), progress));
    }
    const route = /^\/lessons\/([0-9a-z-]+)(\/check|\/hint)?$/.exec(url.pathname);
    if (!route) return notFound(response, `There is no page at ${url.pathname}.`);
    const { lessons, lesson } = findLesson(route[1]);
    if (!lesson) return notFound(response, `There is no lesson ${route[1]}.`);
    // `/lessons/4` and `/lessons/04` lead to the lesson's own address, `/lessons/04-receive-loop`.
    if (lesson.slug !== route[1] && method === 'GET') {
      response.writeHead(302, { location: `${lessonPath(lesson)}${route[2] ?? ''}${url.search}` });
      return void response.end();
    }
    if (!route[2] && method === 'GET')
      return send(
        response,
        200,
        htmlType,
        lessonPage(options.root, lessons, lesson, loadProgress(options.root).progress),
      );
    if (route[2] === '/check' && method === 'GET') {
      // A check runs programs: only this workbook's own page may start one. A browser says where a request comes from
      // in Sec-Fetch-Site, for an <img> or a link on another site too, which carry no Origin.
      if (request.headers['sec-fetch-site'] !== 'same-origin')
        return send(response, 403, 'text/plain; charset=utf-8', "A check starts only from the workbook's own page.\n");
      const solution = url.searchParams.get('solution') === '1';
      return checks.stream(response, {
        root: options.root,
        lessons,
        lesson,
        solution,
        timing: options.timing,
        poll: options.poll,
      });
    }
    if (route[2] === '/hint' && method === 'POST') {
      request.resume();
      const hint = showNextHint(options.root, lesson);
      // A page with scripts gets the hint itself; a plain form post goes back to the hints.
      if (request.headers.accept?.includes('application/json')) {
        const next = hint.number < hint.total ? upcomingHint(options.root, lesson).for : undefined;
        return send(
          response,
          200,
          'application/json',
          JSON.stringify({ ...hint, html: renderReadme(hint.text), next: next ?? null }),
        );
      }
      response.writeHead(303, { location: `${lessonPath(lesson)}#hints` });
      return void response.end();
    }
    send(response, 405, 'text/plain; charset=utf-8', `${method} is not allowed here.\n`);
  };
  const server = http.createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      const message =
        error instanceof WorkbookError
          ? error.message
          : `internal error (please report it): ${(error as Error)?.stack ?? error}`;
      if (!(error instanceof WorkbookError)) process.stderr.write(`${message}\n`);
      if (!response.headersSent) send(response, 500, 'text/plain; charset=utf-8', `${message}\n`);
      else response.end();
    });
  });
  port = await listenFrom(server, options.port);
  return {
    url: `http://${HOST}:${port}/`,
    port,
    checks,
    close: async () => {
      await checks.closeAll();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Listens on the first free port from `first` on, trying each by binding it (no probe that could race). */
async function listenFrom(server: http.Server, first: number): Promise<number> {
  for (let port = first; port < first + PORT_TRIES && port <= 65535; port++) {
    const outcome = await new Promise<'listening' | NodeJS.ErrnoException>((resolve) => {
      const failed = (error: NodeJS.ErrnoException): void => resolve(error);
      server.once('error', failed);
      server.listen(port, HOST, () => {
        server.off('error', failed);
        resolve('listening');
      });
    });
    if (outcome === 'listening') return (server.address() as AddressInfo).port;
    if (outcome.code !== 'EADDRINUSE') throw new WorkbookError(`cannot listen on ${HOST}:${port}: ${outcome.message}`);
  }
  throw new WorkbookError(
    `ports ${first} to ${Math.min(first + PORT_TRIES - 1, 65535)} are all taken: choose another with npm run web -- --port N`,
  );
}
