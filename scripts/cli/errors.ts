// One error type for everything the user did wrong or must fix; main() reports it in one place.
export class WorkbookError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
  }
}

export const EXIT = { pass: 0, fail: 1, usage: 2 } as const;

// Runs a command's main function: a WorkbookError becomes one line and its exit code, anything else is a bug.
export function runMain(main: () => Promise<number>): void {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      if (error instanceof WorkbookError) {
        process.stderr.write(`error: ${error.message}\n`);
        process.exitCode = error.exitCode;
      } else {
        process.stderr.write(`internal error (please report it): ${(error as Error)?.stack ?? error}\n`);
        process.exitCode = 3;
      }
    },
  );
}
