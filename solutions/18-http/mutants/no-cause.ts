// Mistake: a network failure is reported as "fetch failed" alone, without its cause, so the user cannot tell a refused connection from a bad name.
// Replaces: fetch-client.ts
// Fails: fetch-no-server.txt:3
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
  process.exitCode = response.ok ? 0 : 1;
} catch (error) {
  // A network failure is a TypeError("fetch failed") whose cause says what really happened.
  const cause = (error as Error).cause as Error | undefined;
  void cause;
  console.error((error as Error).message);
  process.exitCode = 1;
}
