// Arrays (Python's lists), objects and Maps (Python's dicts), and destructuring.

// An array holds values in order. TypeScript infers the element type: here (string | number)[].
const mixed = [1, 'hello', 3.5];
console.log('mixed:', mixed, 'mixed[1]:', mixed[1], 'mixed.slice(0, 2):', mixed.slice(0, 2));

// A variable holds a reference: `y = x` shares one array, it does not copy it.
const x = [1, 2, 3];
const y = x;
x[1] = 15;
console.log('after x[1] = 15, y is', y);
const length = x.push(12);
console.log('x.push(12) returned', length, 'and y is', y);

// `[...x, 9, 10]` builds a new array (like Python's x + [9, 10]); `[...x]` is a copy.
const longer = [...x, 9, 10];
const copy = [...x];
x[0] = 22;
console.log('longer:', longer.join(' '), ' copy:', copy.join(' '), ' x:', x.join(' '));

// A tuple type gives each position its own type; at run time it is an ordinary array.
const pair: [string, number] = ['port', 12345];
console.log('pair:', pair);

// An object maps string keys to values: a dict with string keys. `delete` removes an entry.
const settings: Record<string, string | number> = { host: 'localhost', port: 12345 };
settings.port = 40000;
settings['backlog'] = 5;
delete settings.host;
console.log('settings:', settings, ' keys:', Object.keys(settings).join(','));

// A Map takes keys of any type, remembers insertion order, and knows its size.
const names = new Map<number, string>([[1, 'hello'], [10, 'world']]);
names.set(2, 'there');
names.delete(1);
console.log('names:', names, ' has 10:', names.has(10), ' size:', names.size);

// Destructuring takes an array or an object apart into variables.
const [first, ...rest] = [1, 7, 13, 2];
console.log('first:', first, ' rest:', rest);
const { port, backlog } = settings;
console.log(`port ${port}, backlog ${backlog}`);
let a = 'left';
let b = 'right';
[a, b] = [b, a];
console.log(`after the swap: a = ${a}, b = ${b}`);
