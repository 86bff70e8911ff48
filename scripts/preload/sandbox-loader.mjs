// The TypeScript loader used under Node's permission model, where tsx cannot run: tsx transforms with esbuild's
// service, a child process the model denies. TypeScript's own transpiler is plain JavaScript, so it needs no
// permission beyond reading files (and the worker thread every Node 20 loader runs on: --allow-worker).
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const OPTIONS = {
  module: ts.ModuleKind.ESNext,
  target: ts.ScriptTarget.ES2022,
  sourceMap: false,
  inlineSourceMap: true,
};

export async function load(url, context, nextLoad) {
  if (!/\.[mc]?ts$/.test(new URL(url).pathname)) return nextLoad(url, context);
  const file = fileURLToPath(url);
  const text = await readFile(file, 'utf8');
  const output = ts.transpileModule(text, { fileName: file, compilerOptions: OPTIONS, reportDiagnostics: true });
  const errors = (output.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error && d.file);
  if (errors.length > 0) {
    // Worded as tsx words it, so the report shows `file:line:col: message` either way.
    const lines = errors.map((d) => {
      const { line, character } = d.file.getLineAndCharacterOfPosition(d.start ?? 0);
      return `${file}:${line + 1}:${character + 1}: ERROR: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
    });
    throw new Error(
      `Transform failed with ${errors.length} error${errors.length === 1 ? '' : 's'}:\n${lines.join('\n')}`,
    );
  }
  return { format: url.endsWith('.cts') ? 'commonjs' : 'module', source: output.outputText, shortCircuit: true };
}
