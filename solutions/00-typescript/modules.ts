// Modules: importing names from another file of this folder, greeting.ts.

// Python's `from greeting import greet, DEFAULT_NAME`. The path is relative and names the file itself.
import { greet, DEFAULT_NAME } from './greeting.ts';
// Python's `import greeting`: the whole module as one object.
import * as greeting from './greeting.ts';

// Imports are done before the first line of this file runs, so greeting.ts has printed its line already.
console.log('modules.ts: running');
console.log(greet());
console.log(greet('Ada'));
console.log('DEFAULT_NAME:', DEFAULT_NAME);
console.log(greeting.farewell('Ada'));
console.log('exports of greeting.ts:', Object.keys(greeting).join(', '));

// An import can also happen later, as an expression: `await import(...)` gives the same, already loaded module.
const again = await import('./greeting.ts');
console.log('the same module object:', again === greeting);
