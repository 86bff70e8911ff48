// What happened in a failing scenario, as a diagram: the first step that went wrong is highlighted, with the
// expected step beside it, or drawn where it should have been when it never happened.
import { diffLines } from 'diff';
import type { ScenarioResult } from '../run/scenario.ts';
import { bodyOf, diagramOf, type Diagram, type DiagramEvent } from './model.ts';

/** The one sentence a failure report gives, naming the transcript line: `Line 8, \`A: recv "Hello\n"\`: ...`. */
export function reasonOf(result: ScenarioResult): string | undefined {
  const failure = result.failure;
  if (!failure) return undefined;
  const ended = failure.ended ? ` The program ${failure.ended.replace(/^it /, '')}.` : '';
  return (failure.step ? `Line ${failure.step.line}, \`${failure.step.source}\`: ` : '') + failure.message + ended;
}

/** Where the record first departs from the transcript: the 1-based record line, and the expected line there. */
export function firstDeparture(
  expected: string,
  actual: string,
): { actualLine: number; expected?: string; added: boolean } | undefined {
  const parts = diffLines(`${expected}\n`, `${actual}\n`);
  let actualLine = 1;
  for (let index = 0; index < parts.length; index++) {
    const part = parts[index];
    const lines = part.value.replace(/\n$/, '').split('\n');
    if (!part.added && !part.removed) {
      actualLine += lines.length;
      continue;
    }
    if (part.added) return { actualLine, added: true };
    // Removed: replaced by what comes next (a mismatch), or simply missing (a timeout, an early end).
    const next = parts[index + 1];
    return { actualLine, expected: lines[0], added: next?.added === true };
  }
  return undefined;
}

/** The diagram of what really happened, with the failing step marked. */
export function diagramOfResult(result: ScenarioResult): Diagram {
  const diagram = diagramOf(result.actual);
  if (result.passed) return diagram;
  const reason = reasonOf(result);
  const expectedStep = result.failure?.step?.source;
  const departure = firstDeparture(result.expected, result.actual);
  const events = [...diagram.events];
  const at = departure ? events.findIndex((event) => (event.line ?? 0) >= departure.actualLine) : -1;
  const expected = departure?.expected ?? expectedStep;
  const asEvent = (line: string): DiagramEvent | undefined => {
    const event = diagramOf(`$ x\n${line}`).events.at(-1);
    return event?.source === line ? event : undefined;
  };
  if (departure?.added && at >= 0) {
    const instead = expected === undefined ? undefined : asEvent(expected);
    events[at] = { ...events[at], status: 'failed', expected, expectedEvent: instead && bodyOf(instead) };
  } else if (departure && expected !== undefined) {
    // Expected but never happened: draw the expected step where it belonged.
    const missing = asEvent(expected);
    const event: DiagramEvent = missing
      ? { ...missing, line: undefined, status: 'missing', expected }
      : { type: 'mark', kind: 'failure', source: expected, text: expected, status: 'missing', expected };
    events.splice(at >= 0 ? at : events.length, 0, event);
  } else {
    // The record matches the transcript line for line (a program that would not stop after Ctrl-C): say so at the end.
    events.push({
      type: 'mark',
      kind: 'failure',
      source: reason ?? 'failed',
      text: result.failure?.message ?? 'failed',
      status: 'failed',
    });
  }
  return { ...diagram, events, lanes: mergeLanes(diagram, events), reason };
}

/** A missing step may name a client the record never reached (it failed before `B: connect`): give it a lane. */
function mergeLanes(diagram: Diagram, events: DiagramEvent[]): Diagram['lanes'] {
  const lanes = [...diagram.lanes];
  for (const event of events.flatMap((event) => (event.expectedEvent ? [event, event.expectedEvent] : [event]))) {
    const ids = event.type === 'arrow' ? [event.from, event.to] : event.lane ? [event.lane] : [];
    for (const id of ids) {
      if (lanes.some((lane) => lane.id === id)) continue;
      lanes.push({
        id,
        label: id.startsWith('client:') ? `client ${id.slice(7)}` : id,
        kind: id.startsWith('client:') ? 'client' : 'helper',
      });
    }
  }
  return lanes;
}
