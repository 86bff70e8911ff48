// Where the runner leaves each TypeScript file transpiled for Node 20, named by what the file holds: shared by the
// runner (which writes it) and the loader inside the program (which reads it), so both name a file alike.
import { createHash } from 'node:crypto';

/** A file's cache entry: its path and contents, and the transpiler's version (`salt`), so any change is a new entry. */
export function cacheKey(salt, file, text) {
  return createHash('sha1').update(`${salt}\0${file}\0${text}`).digest('hex');
}
