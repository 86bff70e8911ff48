// The Node floor, checked before every command in plain JavaScript, so an older Node gets one line, not a stack.
// Every command starts `node --import ./scripts/cli/check-node.mjs scripts/NAME.ts`: a Node too old to load a `.ts`
// file still runs this and says what to do.
// The namespace, not named imports: on a Node below the floor a missing name would fail before the check says why.
import * as nodeModule from 'node:module';
import { fileURLToPath } from 'node:url';

/** The oldest Node the workbook runs on: the first 22 that strips TypeScript's types by default. */
export const FLOOR = '22.18';

/**
 * The one line to print on a Node older than the floor, or undefined on the floor and above.
 * @param {string} version
 * @returns {string | undefined}
 */
export function floorMessage(version) {
  const [major, minor] = version.replace(/^v/, '').split('.').map(Number);
  const [floorMajor, floorMinor] = FLOOR.split('.').map(Number);
  if (major > floorMajor || (major === floorMajor && minor >= floorMinor)) return undefined;
  return (
    `This workbook needs Node ${FLOOR} or newer, and this is Node ${version}. Get a current one from ` +
    'https://nodejs.org (installers for macOS, Windows and Linux), with a version manager (fnm or nvm: ' +
    '`fnm install --lts`), or on Debian and Ubuntu from NodeSource (https://github.com/nodesource/distributions), ' +
    "since the systems' own packages are older."
  );
}

const message = floorMessage(process.versions.node);
if (message) {
  console.error(message);
  process.exit(2);
}

// On Node 26 (not 22.18), the compile cache keeps the type-stripped runner and the programs a check starts: their
// start costs about a third of the CPU. Your own programs share it through the environment; graded ones never get it
// (their environment is an allow-list): each learner's get a cache of their own (scripts/sandbox/inside.ts).
const compileCache = fileURLToPath(new URL('../../.workbook/compile-cache', import.meta.url));
nodeModule.enableCompileCache?.(compileCache);
process.env.NODE_COMPILE_CACHE ??= compileCache;
