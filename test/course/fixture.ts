// A small course written to a temporary folder, shared by the course module tests.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function course(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'workbook-course-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

export const readme = [
  '# 01: Bind and listen',
  '',
  'Type this:',
  '',
  '```ts file=solutions/01-bind/server.ts',
  'const port = 12345;',
  'listen(port);',
  '```',
  '',
  '## Hints',
  '',
  '- *For server.ts:* First hint.',
  '- *For server.ts:* Second hint,',
  '  on two lines.',
  '',
  '## After',
  '',
  '- not a hint',
].join('\n');
