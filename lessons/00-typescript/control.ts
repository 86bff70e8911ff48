// Control flow: braces instead of indentation, and loops over arrays and ranges.

// if / else if / else: Python's if / elif / else. The condition needs parentheses, the block braces.
const x = 30;
let y: number;
if (x <= 15) {
  y = x + 15;
  // TODO: add a second test, `} else if (x <= 30) {`, that sets y to x + 30.
} else {
  y = x;
}
console.log(`y = ${y}, sin(y) = ${Math.sin(y)}`);

// A while loop, collecting into an array so the output stays on one line.
const counted: number[] = [];
let n = 1;
while (n < 10) {
  counted.push(n);
  n = n + 1;
}
console.log('while:', counted.join(' '));

// for...of walks the values of an array (Python's `for x in list`).
for (const value of [1, 7, 13, 2]) {
  console.log('for...of:', value);
}

// There is no range(): the classic C-style loop counts instead.
const squares: number[] = [];
for (let i = 0; i < 5; i++) {
  squares.push(i * i);
}
console.log('squares of 0..4:', squares.join(' '));

// continue skips to the next round, break leaves the loop.
const odds: number[] = [];
for (let i = 0; i < 100; i++) {
  // TODO: skip the even numbers with `continue` (i % 2 === 0 is true for them).
  if (i > 9) break;
  odds.push(i);
}
console.log('odd numbers below 10:', odds.join(' '));

// JavaScript has no loop `else`; a flag (or a function that returns early) says whether the loop broke.
const ports = [80, 443, 12345, 8080];
let found = false;
for (const port of ports) {
  if (port === 12345) {
    // TODO: remember that the port was found: set `found` to true before leaving the loop.
    break;
  }
}
console.log(found ? '12345 is in the list' : '12345 is not in the list');

// switch compares with === and falls through to the next case unless a case ends with break.
for (const code of [0, 1, 2]) {
  switch (code) {
    case 0:
      console.log(`exit code ${code}: success`);
      break;
    case 1:
      console.log(`exit code ${code}: failure`);
      break;
    default:
      console.log(`exit code ${code}: usage error`);
  }
}
