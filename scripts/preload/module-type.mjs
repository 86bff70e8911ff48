// Every `.ts` file of a program runs as an ES module, in strict mode, whatever package.json lies beside it or none.
// Without one, Node 22 and later run a file with no import or export as CommonJS, in sloppy mode, where writing into
// a string throws nothing. The workbook decides, so a program means the same in a lesson, under grading and by hand.
import { registerHooks } from 'node:module';

const TYPESCRIPT = /\.ts$/;

registerHooks({
  load(url, context, nextLoad) {
    if (url.startsWith('file:') && TYPESCRIPT.test(new URL(url).pathname))
      return nextLoad(url, { ...context, format: 'module-typescript' });
    return nextLoad(url, context);
  },
});
