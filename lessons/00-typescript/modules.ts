// Modules: importing names from another file of this folder, greeting.ts.

// Python's `from greeting import greet, DEFAULT_NAME`. The path is relative and names the file itself.
import { greet, DEFAULT_NAME } from './greeting.ts';
// TODO: import the whole module as one object named greeting (Python's `import greeting`):
// import * as greeting from './greeting.ts';

// Imports are done before the first line of this file runs, so greeting.ts has printed its line already.
console.log('modules.ts: running');
console.log(greet());
console.log(greet('Ada'));
console.log('DEFAULT_NAME:', DEFAULT_NAME);
// TODO: print greeting.farewell('Ada'), then 'exports of greeting.ts:' and Object.keys(greeting).join(', ').

// An import can also happen later, as an expression: `await import(...)` gives the same, already loaded module.
const again = await import('./greeting.ts');
// TODO: print 'the same module object:' and whether `again === greeting`.
