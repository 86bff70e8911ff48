// The environment a graded program gets: a short allow-list, never the grader's tokens, keys or home.

/**
 * What a program needs to start and to behave as it does by hand: where commands are, the locale and time zone, the
 * temporary folder, and what Windows needs to run Node at all. Nothing else of the grader's environment is passed.
 */
export const ALLOWED_ENVIRONMENT = [
  'PATH',
  'LANG',
  'LC_ALL',
  'LC_CTYPE',
  'TZ',
  'TMPDIR',
  // Windows: Node needs these to find the system and a temporary folder.
  'Path',
  'PATHEXT',
  'SystemRoot',
  'SystemDrive',
  'windir',
  'TEMP',
  'TMP',
] as const;

/** The allowed variables of `from` (the grader's own environment), and nothing else. */
export function allowedEnvironment(from: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const name of ALLOWED_ENVIRONMENT) if (from[name] !== undefined) env[name] = from[name];
  return env;
}
