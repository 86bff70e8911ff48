// A module: a file whose names stay private unless it exports them.

// The top level of a module runs once, the first time anything imports it.
console.log('greeting.ts: loading');

export const DEFAULT_NAME = 'world';

// Not exported: only code in this file can use it.
const punctuation = '!';

export function greet(name: string = DEFAULT_NAME): string {
  return `Hello, ${name}${punctuation}`;
}

export function farewell(name: string): string {
  return `Goodbye, ${name}${punctuation}`;
}
