// Input: reading lines that the user types (Python's raw_input), and turning text into a number.
import { createInterface } from 'node:readline';

// readline splits standard input into lines; its iterator gives one line per `next()`.
const reader = createInterface({ input: process.stdin });
const lines = reader[Symbol.asyncIterator]();

async function ask(question: string): Promise<string> {
  console.log(question);
  const { value, done } = await lines.next();
  // At the end of the input (Ctrl-D) there is no line: answer with the empty string.
  return done ? '' : value;
}

const name = await ask("What's your name?");
const answer = await ask('Which year shall we look at?');
// Stop reading, so the program can end even while the input stays open.
reader.close();
// Input is always text. Number() converts it, and gives NaN when the text is not a number.
// TODO: convert `answer` with Number(answer) instead: parseInt stops at the first character that is not a digit,
// so it reads '18.15' as 18 and '1815abc' as 1815.
const year = parseInt(answer);
if (answer.trim() === '' || !Number.isInteger(year)) {
  console.error(`Error: '${answer}' is not a year`);
  // The exit code the program ends with, once nothing is left to do.
  process.exitCode = 1;
} else {
  console.log(`Hi ${name}! ${year} was ${2015 - year} years before 2015.`);
}
