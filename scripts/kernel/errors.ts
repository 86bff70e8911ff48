// One error type for everything the user did wrong or must fix; main() reports it in one place.
export const EXIT = { pass: 0, fail: 1, usage: 2, internal: 3 } as const;

export class WorkbookError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode: number = EXIT.usage) {
    super(message);
    this.exitCode = exitCode;
  }
}

/** Asked for with `-- --help` or `-- -h`: the text goes to stdout, and the command exits 0. */
export class HelpRequested extends WorkbookError {
  constructor(text: string) {
    super(text, EXIT.pass);
  }
}

/** What must happen before a command ends early (its programs stopped), registered by the layers that start them. */
const beforeEarlyExit: (() => Promise<unknown>)[] = [];

export function onEarlyExit(step: () => Promise<unknown>): void {
  beforeEarlyExit.push(step);
}

/**
 * The reader of stdout went away (`npm run lesson | head`): nothing more can be shown, so the command ends quietly,
 * with the exit code it has so far, after its programs are stopped, instead of dying on an EPIPE stack trace.
 */
function endQuietlyWhenStdoutCloses(): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    void Promise.allSettled(beforeEarlyExit.map((step) => step())).finally(() => process.exit(process.exitCode ?? 0));
  });
}

// Runs a command's main function: a WorkbookError becomes one line and its exit code, anything else is a bug.
export function runMain(main: () => Promise<number>): void {
  endQuietlyWhenStdoutCloses();
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      if (error instanceof HelpRequested) {
        process.stdout.write(`${error.message}\n`);
        process.exitCode = EXIT.pass;
      } else if (error instanceof WorkbookError) {
        process.stderr.write(`error: ${error.message}\n`);
        process.exitCode = error.exitCode;
      } else {
        process.stderr.write(`internal error (please report it): ${(error as Error)?.stack ?? error}\n`);
        process.exitCode = EXIT.internal;
      }
    },
  );
}
