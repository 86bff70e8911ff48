// Every `.ts` file of a program runs as an ES module, in strict mode, whatever package.json lies beside it or none.
// Without one, Node 22 and later run a file with no import or export as CommonJS, in sloppy mode, where writing into
// a string throws nothing. The workbook decides, so a program means the same in a lesson, under grading and by hand.
// Each file's stripped JavaScript is kept in the compile cache's folder, by its content: Node 22.18 keeps no stripped
// TypeScript there itself, and starting its type stripper costs each program about 50 ms of CPU.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { registerHooks, stripTypeScriptTypes } from 'node:module';
import { join } from 'node:path';

const TYPESCRIPT = /\.ts$/;
const STRIPPED = process.env.NODE_COMPILE_CACHE ? join(process.env.NODE_COMPILE_CACHE, 'stripped') : undefined;

registerHooks({
  load(url, context, nextLoad) {
    if (!url.startsWith('file:') || !TYPESCRIPT.test(new URL(url).pathname)) return nextLoad(url, context);
    const loaded = nextLoad(url, { ...context, format: 'module-typescript' });
    const javascript = loaded.source === undefined ? undefined : strippedOnce(String(loaded.source));
    return javascript === undefined ? loaded : { ...loaded, format: 'module', source: javascript };
  },
});

/**
 * The file's JavaScript, from the cache or stripped now and kept; undefined when there is no cache, or when the file
 * cannot be stripped: Node then strips it itself and says what is wrong in its own words.
 * @param {string} typescript
 * @returns {string | undefined}
 */
function strippedOnce(typescript) {
  if (STRIPPED === undefined) return undefined;
  const file = join(STRIPPED, `${keyOf(typescript)}.json`);
  try {
    const kept = JSON.parse(readFileSync(file, 'utf8'));
    // The key is short: the file is used only for exactly this TypeScript.
    if (kept.typescript === typescript && typeof kept.javascript === 'string') return kept.javascript;
  } catch {
    // Not kept yet, or not readable as kept.
  }
  let javascript;
  try {
    javascript = quietly(() => stripTypeScriptTypes(typescript));
  } catch {
    return undefined;
  }
  try {
    // Written aside, then renamed: a program starting at the same moment reads the whole file or none.
    mkdirSync(STRIPPED, { recursive: true });
    const aside = `${file}.${process.pid}`;
    writeFileSync(aside, JSON.stringify({ typescript, javascript }));
    renameSync(aside, file);
  } catch {
    // A cache that cannot be written (full, or not this program's to write) only costs time.
  }
  return javascript;
}

/**
 * A 64-bit FNV-1a key of the text, in hex: cheaper to start than node:crypto, which a program may never load.
 * @param {string} text
 * @returns {string}
 */
function keyOf(text) {
  let low = 0x811c9dc5;
  let high = 0x050c5d1f ^ text.length;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    low = Math.imul(low ^ code, 0x01000193);
    high = Math.imul(high ^ code, 0x01000193) + (low >>> 29);
  }
  return (high >>> 0).toString(16).padStart(8, '0') + (low >>> 0).toString(16).padStart(8, '0');
}

/**
 * Runs `work` without the warning Node gives on first use of its type stripper: the program's output is checked.
 * @template T
 * @param {() => T} work
 * @returns {T}
 */
function quietly(work) {
  const emitWarning = process.emitWarning;
  process.emitWarning = () => {};
  try {
    return work();
  } finally {
    process.emitWarning = emitWarning;
  }
}
