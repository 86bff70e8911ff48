// The files the pages load, each by a fixed name from the project or node_modules.
// Nothing comes from the network, and no request can name a path of its own.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const asFile = (name: string): string => join(import.meta.dirname, 'assets', name);

const FILES: Record<string, { path: string; type: string }> = {
  '/assets/style.css': { path: asFile('style.css'), type: 'text/css; charset=utf-8' },
  '/assets/lesson.js': { path: asFile('lesson.js'), type: 'text/javascript; charset=utf-8' },
  '/assets/highlight.css': { path: require.resolve('highlight.js/styles/github.css'), type: 'text/css; charset=utf-8' },
};

/** The asset at a URL path, or undefined when there is none by that name. */
export function asset(path: string): { body: Buffer; type: string } | undefined {
  const file = FILES[path];
  return file && { body: readFileSync(file.path), type: file.type };
}
