// async/await: promises, timers, and the order in which things happen.

// A promise that settles after `ms` milliseconds: the timer calls `resolve` when it fires.
function wait(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// An async function returns a promise at once; `await` pauses only this function until a promise settles.
async function slowDouble(value: number, ms: number): Promise<number> {
  await wait(ms);
  console.log(`  slowDouble(${value}) is done after its ${ms} ms`);
  return value * 2;
}

// Synchronous code runs to the end first; then promise callbacks; then timers.
console.log('1. start');
setTimeout(() => console.log('4. a timer of 0 ms'), 0);
Promise.resolve().then(() => console.log('3. a promise callback'));
console.log('2. the end of the synchronous code');
await wait(10);

// Calling an async function without await gives a pending promise, not the value.
const pending = slowDouble(1, 10);
console.log('without await:', pending);
console.log('with await:', await pending);

// Two waits one after the other take the sum of their times; Promise.all runs them at the same time.
const results = await Promise.all([slowDouble(2, 60), slowDouble(3, 20)]);
console.log('Promise.all keeps the order of its array:', results);

// A rejected promise makes `await` throw, and try/catch catches it like any error.
async function failLater(): Promise<never> {
  await wait(10);
  throw new Error('connection refused');
}
try {
  await failLater();
  console.log('not printed');
} catch (error) {
  console.log('caught:', (error as Error).message);
}
console.log('done');
