// Functions: parameters with types and defaults, functions as values, and higher-order functions.

// Parameter types are written after the name; the return type after the parameter list.
function larger(x: number, y: number): number {
  if (x < y) {
    return y;
  }
  return x;
}
console.log('larger(3, 5) =', larger(3, 5));

// A default value is used when the argument is left out.
function repeat(text: string, times = 2): string {
  return text.repeat(times);
}
console.log(`repeat('ab') = ${repeat('ab')}, repeat('ab', 3) = ${repeat('ab', 3)}`);

// No keyword arguments in JavaScript: a function takes an object and destructures it instead.
function describe({ host, port = 12345 }: { host: string; port?: number }): string {
  return `${host}:${port}`;
}
console.log('describe:', describe({ host: 'localhost' }), describe({ port: 40000, host: '127.0.0.1' }));

// A function is a value: it can be stored, passed and printed.
function square(x: number): number {
  return x * x;
}
const alias = square;
console.log('alias:', alias, ' alias(4) =', alias(4));

function apply(f: (value: number) => number, value: number): number {
  return f(value);
}
console.log('apply(square, 3) =', apply(square, 3));

// Arrow functions are the anonymous functions (Python's lambda), and may hold whole blocks.
const add = (a: number, b: number): number => a + b;
console.log('add(2, 3) =', add(2, 3));

// Higher-order functions are methods of arrays: map, filter and reduce.
const numbers = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
const doubled = numbers.map((n) => 2 * n);
console.log('doubled:', doubled.join(' '));
const evens = numbers.filter((n) => n % 2 === 0);
console.log('evens:', evens.join(' '));
const word = ['h', 'e', 'l', 'l', 'o'].reduce((joined, letter) => joined + letter);
console.log('reduce:', word);

// A function inside a function is visible only inside it.
function outer(x: number, y: number): number {
  function inner(z: number): number {
    return z * 2;
  }
  return inner(x) + y;
}
console.log('outer(2, 3) =', outer(2, 3));
