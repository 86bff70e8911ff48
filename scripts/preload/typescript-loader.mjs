// Node 20 (and 22 before type stripping) cannot run TypeScript. This hook serves each .ts file as the runner
// transpiled it beforehand, from a cache, so the program loads no transpiler at all; under the permission model that
// matters twice, since esbuild (tsx) is a child process the model denies. A file the runner did not see (saved since,
// or imported from elsewhere) is transpiled here by TypeScript's own compiler, which is plain JavaScript.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheKey } from './typescript-cache.mjs';

let cache = { dir: '', salt: '' };

export function initialize(data) {
  cache = data;
}

const TYPESCRIPT_FILE = /\.[mc]?ts$/;

export async function load(url, context, nextLoad) {
  if (!url.startsWith('file:') || !TYPESCRIPT_FILE.test(new URL(url).pathname)) return nextLoad(url, context);
  const file = fileURLToPath(url);
  const text = await readFile(file, 'utf8');
  const format = url.endsWith('.cts') ? 'commonjs' : 'module';
  const entry = join(cache.dir, cacheKey(cache.salt, file, text));
  const source = await readFile(`${entry}.js`, 'utf8').catch(() => undefined);
  if (source !== undefined) return { format, source, shortCircuit: true };
  // The compiler's own words, as tsx shows them: `Transform failed with 1 error: file:line:col: ERROR: message`.
  const failure = await readFile(`${entry}.err`, 'utf8').catch(() => undefined);
  if (failure !== undefined) throw new Error(failure);
  return { format, source: await transpileHere(file, text), shortCircuit: true };
}

async function transpileHere(file, text) {
  const { default: ts } = await import('typescript');
  const compilerOptions = { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, inlineSourceMap: true };
  const output = ts.transpileModule(text, { fileName: file, compilerOptions, reportDiagnostics: true });
  const errors = (output.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error && d.file);
  if (errors.length === 0) return output.outputText;
  const lines = errors.map((d) => {
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start ?? 0);
    return `${file}:${line + 1}:${character + 1}: ERROR: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
  });
  throw new Error(
    `Transform failed with ${errors.length} error${errors.length === 1 ? '' : 's'}:\n${lines.join('\n')}`,
  );
}
