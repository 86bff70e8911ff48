// On a Node without type stripping, the runner transpiles a program's TypeScript once, before it starts, with
// esbuild (as tsx would), into a cache the program's loader reads: the program itself then starts like plain node.
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transformSync, version } from 'esbuild';
import { cacheKey } from '../preload/typescript-cache.mjs';

export const TYPESCRIPT_CACHE = fileURLToPath(
  new URL('../../node_modules/.cache/workbook-typescript', import.meta.url),
);
/** A new esbuild (or a new way of calling it) is a new cache. */
export const CACHE_SALT = `esbuild ${version} node20 v1`;

/** Transpiles one file into the cache, unless it is there already; a compile error is cached as the message. */
function transpileFile(file: string): void {
  const text = readFileSync(file, 'utf8');
  const entry = join(TYPESCRIPT_CACHE, cacheKey(CACHE_SALT, file, text));
  let output: { name: string; text: string };
  try {
    readFileSync(`${entry}.js`, { flag: 'r' });
    return;
  } catch {
    // Not cached yet.
  }
  try {
    const result = transformSync(text, {
      loader: 'ts',
      format: 'esm',
      target: 'node20',
      sourcemap: 'inline',
      sourcefile: file,
    });
    output = { name: `${entry}.js`, text: result.code };
  } catch (error) {
    output = { name: `${entry}.err`, text: (error as Error).message };
  }
  // Written whole or not at all: two runners may transpile the same file at once.
  const partial = `${output.name}.${process.pid}.tmp`;
  writeFileSync(partial, output.text);
  renameSync(partial, output.name);
}

/** The program and every TypeScript file beside it (a lesson's programs import each other), and the extra files. */
export function transpileProgram(file: string, extra: string[] = []): void {
  mkdirSync(TYPESCRIPT_CACHE, { recursive: true });
  const folder = dirname(file);
  const siblings = readdirSync(folder).filter((name) => /\.[mc]?ts$/.test(name) && !name.endsWith('.d.ts'));
  for (const name of new Set([...siblings.map((name) => join(folder, name)), file, ...extra])) transpileFile(name);
}
