// What happened in a failing scenario, as a diagram with its first wrong step highlighted.
// The expected step stands beside it, or is drawn where it should have been when it never happened.
import { diffLines } from 'diff';
import { failureSentence } from '../scenario/explain.ts';
import type { ScenarioResult } from '../scenario/scenario.ts';
import { bodyOf, diagramOf, PROGRAM_LANE, type Diagram, type DiagramEvent } from './model.ts';
import { endingSaid } from '../run/exit.ts';

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

/** The diagram of what really happened, with the failing step marked and the failure's sentence under it. */
export function diagramOfResult(result: ScenarioResult, cwd = process.cwd()): Diagram {
  const diagram = diagramOf(result.actual);
  if (result.passed) return diagram;
  const reason = result.failure && failureSentence(result.failure, cwd);
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
  drawExit(events, result);
  return { ...diagram, events, lanes: mergeLanes(diagram, events), reason };
}

/** How the program really ended, when it ended by itself and the record does not say: before what never happened. */
function drawExit(events: DiagramEvent[], result: ScenarioResult): void {
  const exit = result.failure?.exit;
  if (!exit || events.some((event) => event.type === 'mark' && event.kind === 'exit' && !event.status)) return;
  const said = endingSaid(exit);
  const event: DiagramEvent = {
    type: 'mark',
    kind: 'exit',
    lane: PROGRAM_LANE,
    text: said,
    source: `the program ${said}`,
  };
  const missing = events.findIndex((candidate, index) => candidate.status === 'missing' && index === events.length - 1);
  events.splice(missing >= 0 ? missing : events.length, 0, event);
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
