// Values and types: what JavaScript has where Python has int, long, float, complex and bool.

// A variable is declared once, with `const` (never reassigned) or `let` (may be reassigned).
const answer = 42;
let greeting = 'hello';
greeting = greeting + ' there';
console.log('answer:', answer, typeof answer);
console.log('greeting:', greeting, typeof greeting);

// One number type for integers and fractions alike: a 64-bit float, exact for integers up to 2^53.
console.log('7 / 2 =', 7 / 2);
console.log('Math.floor(7 / 2) =', Math.floor(7 / 2));
console.log('-7 % 2 =', -7 % 2);
console.log('0.1 + 0.2 =', 0.1 + 0.2);
console.log('132323 ** 2 =', 132323 ** 2);
console.log('2 ** 53 + 1 =', 2 ** 53 + 1);

// Python's long integer is a bigint: an `n` after the digits, exact at any size.
console.log('2n ** 64n =', 2n ** 64n);

// Converting text to numbers and back.
console.log("Number('42') + 1 =", Number('42') + 1);
console.log("Number('4x') =", Number('4x'));
console.log('String(10.3) + 1 =', String(10.3) + 1);

// Truthiness, and operators that return one of their operands, as Python's `and` and `or` do.
// (The values come from variables: TypeScript rejects `7 && 14` written out, since its result is known.)
const seven: number = 7;
const zero: number = 0;
const nothing: unknown = null;
console.log('7 && 14 =', seven && 14);
console.log('null || 2 =', nothing || 2);
console.log('0 || 2 =', zero || 2, '  0 ?? 2 =', zero ?? 2);
console.log('Boolean([]) =', Boolean([]), "  Boolean('') =", Boolean(''));

// `==` converts before comparing; `===` does not. Use `===`.
const one: unknown = '1';
console.log("'1' == 1 is", one == 1);
console.log("'1' === 1 is", one === 1);
