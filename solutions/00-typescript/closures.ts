// Closures: a function that remembers the variables around it, even after the outer function returned.

// A function that returns a function. `inner` keeps `x` alive after makeAdder has returned.
function makeAdder(x: number): (y: number) => number {
  function inner(y: number): number {
    return x + y;
  }
  return inner;
}
const addThree = makeAdder(3);
console.log('addThree:', addThree, ' addThree(2) =', addThree(2));

// The same with arrow functions. Its type reads: takes a number, returns a function of a number.
const multiplier = (factor: number) => (value: number) => factor * value;
const double = multiplier(2);
console.log('double(21) =', double(21), ' multiplier(10)(5) =', multiplier(10)(5));

// A closure can also change what it remembers: private state without a class.
function makeCounter(): () => number {
  let count = 0;
  return () => {
    count = count + 1;
    return count;
  };
}
const first = makeCounter();
const second = makeCounter();
console.log('first:', first(), first(), first(), ' second:', second());

// A function stored in an array is called like any other value.
const things = ['one', (n: number) => n * n, 3] as const;
console.log('things[1](4) =', things[1](4));

// `let` in a loop makes a new variable for each round, so each closure sees its own `i`.
const callbacks: (() => number)[] = [];
for (let i = 0; i < 3; i++) {
  callbacks.push(() => i);
}
console.log('with let:', callbacks.map((callback) => callback()).join(' '));

// `var` makes one variable for the whole function, shared by every closure: they all see its last value.
const shared: (() => number)[] = [];
for (var j = 0; j < 3; j++) {
  shared.push(() => j);
}
console.log('with var:', shared.map((callback) => callback()).join(' '));
