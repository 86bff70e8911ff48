// Mistake: the client exits 0 whenever a response came, so a 404 looks like success to a script.
// Replaces: fetch-client.ts
// Fails: fetch-not-found.txt:11
const url = process.argv[2];
if (url === undefined || process.argv.length !== 3) {
  console.error('Usage: fetch-client.ts URL');
  process.exit(2);
}

try {
  // fetch sends the request and resolves as soon as the status line and the headers have arrived.
  const response = await fetch(url);
  console.log(`${response.status} ${response.statusText}`);
  for (const [name, value] of response.headers) {
    console.log(`${name}: ${value}`);
  }
  // The body comes after the headers, and may still be on its way: reading it is a second wait.
  const body = await response.text();
  console.log(body.trimEnd());
  // An HTTP error is still a response: fetch does not throw for 404, so the status decides the exit code.
  process.exitCode = 0;
} catch (error) {
  // A network failure is a TypeError("fetch failed") whose cause says what really happened.
  const cause = (error as Error).cause as Error | undefined;
  console.error(`${(error as Error).message}: ${cause?.message ?? 'no cause given'}`);
  process.exitCode = 1;
}
