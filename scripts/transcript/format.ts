// Writes steps back as transcript lines: how the runner records what actually happened, in the transcript's format.
import { formatBytes } from './bytes.ts';
import { FLOOD_LIMIT, parseLine, type ClientAction, type StepBody } from './parse.ts';

// Writes a step back as a transcript line: how the runner records what actually happened.
export function formatStep(step: StepBody): string {
  switch (step.kind) {
    case 'comment':
      return step.text;
    case 'busy':
      return `[busy ${step.udp ? 'udp ' : ''}${step.port}${step.onRestart ? ' on restart' : ''}]`;
    case 'timeout':
      return `[timeout ${step.ms}ms]`;
    case 'output':
      return `[output ${step.bytes} bytes]`;
    case 'writable':
      return `[writable ${step.path}]`;
    case 'background':
      return ['&', step.path, ...step.args.map(quoteArgument)].join(' ');
    case 'start':
      return ['$', step.program, ...step.args.map(quoteArgument)].join(' ');
    case 'stdin':
      return step.text === null ? '< ^D' : `< ${step.text}`;
    case 'stdout':
      return looksLikeStep(step.text) ? `\\${step.text}` : step.text;
    case 'stderr':
      return `! ${step.text}`;
    case 'skip':
      return step.stream === 'stdout' ? '...' : '! ...';
    case 'file':
      return step.text === '' ? `= ${step.path}:` : `= ${step.path}: ${step.text}`;
    case 'interrupt':
      return '^C';
    case 'killWorker':
      return '[kill a worker]';
    case 'exit':
      return `[exit ${step.code}]`;
    case 'client':
      if (step.action.verb === 'line')
        return step.action.text === '' ? `${step.client}>` : `${step.client}> ${step.action.text}`;
      return `${step.client}: ${formatAction(step.action)}`;
  }
}

function formatAction(action: ClientAction): string {
  switch (action.verb) {
    case 'connect':
    case 'udp':
      return action.port === undefined ? action.verb : `${action.verb} ${action.port}`;
    case 'send':
    case 'recv':
      return `${action.verb} ${formatBytes(action.bytes)}`;
    case 'count':
      return action.min === action.max ? `recv ${action.min} bytes` : `recv ${action.min}..${action.max} bytes`;
    case 'silent':
      return `silent ${action.ms}ms`;
    case 'flood':
      return action.most === FLOOD_LIMIT ? 'flood' : `flood ${action.most}`;
    default:
      return action.verb;
  }
}

function quoteArgument(arg: string): string {
  return arg === '' || /[\s"]/.test(arg) ? `"${arg.replace(/(["\\])/g, '\\$1')}"` : arg;
}

// A printed line that would parse as something else, or not at all, needs a leading backslash.
function looksLikeStep(text: string): boolean {
  try {
    return (
      text.startsWith('\\') ||
      parseLine(text, () => {
        throw new Error();
      }).kind !== 'stdout'
    );
  } catch {
    return true;
  }
}
