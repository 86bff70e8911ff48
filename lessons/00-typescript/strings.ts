// Strings: quotes, template literals, indexing and slicing, and why a string never changes.

const single = 'I am a string';
const double = "So am I, and I can hold a ' without escaping it";
console.log(single);
console.log(double);

// A backslash escapes a quote that would end the string (\n is a newline); in backquotes, \` is a backquote.
console.log('\'Hello\', world', `and \`backquotes\``);

// Backquotes make a template literal: it may span lines, like Python's """...""".
// TODO: make `poem` one template literal of three lines: 'And me too,', 'though I am longer', 'than the others'.
const poem = 'And me too,';
console.log(poem);

// Indexing and slicing. There is no char type: one element of a string is a string of length 1.
const digits = '012345';
console.log('digits[3]:', digits[3]);
console.log('digits.slice(1, 4):', digits.slice(1, 4));
console.log('digits.slice(2):', digits.slice(2));
console.log('digits[-2]:', digits[-2], ' digits.at(-2):', digits.at(-2));
console.log('digits.length:', digits.length);

// A template literal puts values into text: JavaScript's answer to Python's "%s" % x and f-strings.
const name = 'Ada';
const year = 1815;
// TODO: print `Ada was born in 1815, 200 years before 2015.` from `name`, `year` and 2015 - year, in one
// template literal, instead of the line below.
console.log(name, year);
console.log(`two thirds is about ${(2 / 3).toFixed(2)}; padded: ${String(7).padStart(3, '0')}`);

// `+` joins strings, and converts a number to text when either side is a string.
console.log("'5' + 3 =", '5' + 3);

// Strings are immutable: methods return a new string and leave the old one as it was.
const word = 'hello';
// TODO: make `shouted` the upper-case version of `word` with the string method toUpperCase().
const shouted = word;
console.log(`word: ${word}, shouted: ${shouted}`);
try {
  // Writing into a string is a compile error in TypeScript; `as any` silences it to show what Node does.
  (word as any)[0] = 'j';
} catch (error) {
  console.log('TypeError:', (error as Error).message);
}

// Length counts UTF-16 units, not characters and not bytes.
const coffee = 'café';
console.log(`'${coffee}' has length ${coffee.length} and ${Buffer.byteLength(coffee)} bytes in UTF-8`);
