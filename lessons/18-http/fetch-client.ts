const url = process.argv[2];
if (url === undefined || process.argv.length !== 3) {
  console.error('Usage: fetch-client.ts URL');
  process.exit(2);
}

try {
  // TODO: const response = await fetch(url); print `${response.status} ${response.statusText}`, then every header
  // as `${name}: ${value}` (for...of over response.headers gives [name, value] pairs).
  // TODO: read the body with await response.text() and print it with trimEnd(); then set process.exitCode to 0 when
  // response.ok (a 2xx status) and to 1 otherwise: fetch does not throw for a 404.
} catch (error) {
  // TODO: fetch throws TypeError('fetch failed') when there is no answer at all; the reason is in error.cause. Print
  // `${error.message}: ${cause.message}` instead of the message alone, or `${error.message}: no cause given` for an
  // error that has no cause.
  console.error((error as Error).message);
  process.exitCode = 1;
}
