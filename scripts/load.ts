// npm run load -- N: N clients at once send bytes to a loopback echo server and time the echoes (see docs/commands.md).
import { runMain } from './kernel/errors.ts';
import { checkLoopbackHost, formatLoadReport, loadExitCode, parseLoadArgs, runLoad } from './load/generator.ts';

async function main(): Promise<number> {
  const options = parseLoadArgs(process.argv.slice(2));
  await checkLoopbackHost(options.host);
  const result = await runLoad(options);
  console.log(formatLoadReport(options, result));
  return loadExitCode(options, result);
}

runMain(main);
