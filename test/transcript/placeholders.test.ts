import { describe, expect, it } from 'vitest';
import { syncBuiltinESMExports } from 'node:module';
import os, { hostname } from 'node:os';
import {
  canonicalOutput,
  matchesTemplate,
  templateToRegExp,
  toTemplate,
  unknownPlaceholder,
  type RunFacts,
} from '../../scripts/transcript/placeholders.ts';

function facts(overrides: Partial<RunFacts> = {}): RunFacts {
  return {
    clients: new Map([
      ['A', { addr: '127.0.0.1', port: 54321 }],
      ['B', { addr: '::1', port: 54400 }],
    ]),
    pid: 4242,
    portMap: new Map(),
    ...overrides,
  };
}

describe('templates', () => {
  const f = facts();

  it("{A.port} and {A.addr} match exactly that client's own port and address", () => {
    expect(matchesTemplate('from {A.addr}:{A.port}', 'from 127.0.0.1:54321', f)).toBe(true);
    expect(matchesTemplate('from {B.addr}:{B.port}', 'from ::1:54400', f)).toBe(true);
    expect(matchesTemplate('from {A.addr}:{A.port}', 'from 127.0.0.1:54322', f)).toBe(false);
    expect(matchesTemplate('from {A.addr}:{A.port}', 'from 127.0.0.2:54321', f)).toBe(false);
    expect(matchesTemplate('from {A.addr}:{A.port}', 'from ::1:54400', f)).toBe(false);
    expect(matchesTemplate('port {A.port}', 'port 543210', f)).toBe(false);
  });

  it("{A.family} matches exactly the IP version of that client's address", () => {
    expect(matchesTemplate('(IPv{A.family}) (IPv{B.family})', '(IPv4) (IPv6)', f)).toBe(true);
    expect(matchesTemplate('(IPv{A.family})', '(IPv6)', f)).toBe(false);
    expect(matchesTemplate('(IPv{B.family})', '(IPv0)', f)).toBe(false);
    expect(unknownPlaceholder('(IPv{A.family})')).toBeUndefined();
  });

  it('the dots of an address are literal, not "any character"', () => {
    expect(matchesTemplate('{A.addr}', '127x0x0x1', f)).toBe(false);
  });

  it('a client that never connected matches nothing', () => {
    expect(matchesTemplate('from {C.addr}', 'from 127.0.0.1', f)).toBe(false);
    expect(matchesTemplate('port {C.port}', 'port ', f)).toBe(false);
  });

  it("{pid} matches exactly the program's pid, or any number before it is known", () => {
    expect(matchesTemplate('pid {pid}', 'pid 4242', f)).toBe(true);
    expect(matchesTemplate('pid {pid}', 'pid 4243', f)).toBe(false);
    expect(matchesTemplate('pid {pid}', 'pid 99', facts({ pid: undefined }))).toBe(true);
    expect(matchesTemplate('pid {pid}', 'pid x', facts({ pid: undefined }))).toBe(false);
  });

  it('{time} matches ISO timestamps and clock times, and nothing else', () => {
    for (const time of [
      '2026-11-21T09:34:53.123Z',
      '09:34:53',
      '2026-11-21 09:34:53',
      '09:34:53,5',
      '2026-11-21T09:34:53+01:00',
    ]) {
      expect(matchesTemplate('[{time}] started', `[${time}] started`, f), time).toBe(true);
    }
    for (const time of ['yesterday', '9:34', '2026-11-21', '']) {
      expect(matchesTemplate('[{time}] started', `[${time}] started`, f), time).toBe(false);
    }
  });

  it('{*} matches any text within the line, including none', () => {
    expect(matchesTemplate('Received: {*}', 'Received: <Buffer 48 65>', f)).toBe(true);
    expect(matchesTemplate('Received: {*}', 'Received: ', f)).toBe(true);
    expect(matchesTemplate('a{*}z', 'a-middle-z', f)).toBe(true);
    expect(matchesTemplate('a{*}z', 'a-middle-y', f)).toBe(false);
  });

  it('{{ is a literal brace, and other text is literal too', () => {
    expect(matchesTemplate('{{A.port}', '{A.port}', f)).toBe(true);
    expect(matchesTemplate('{{A.port}', '{54321}', f)).toBe(false);
    expect(matchesTemplate('{{ "a": 1 }', '{ "a": 1 }', f)).toBe(true);
    expect(matchesTemplate('cost (1+2)*3 [x] $5 ^ | \\ ?', 'cost (1+2)*3 [x] $5 ^ | \\ ?', f)).toBe(true);
    expect(matchesTemplate('a.b', 'axb', f)).toBe(false);
  });

  it('a template matches the whole line, not a part of it', () => {
    expect(matchesTemplate('Hello', 'Hello world', f)).toBe(false);
    expect(matchesTemplate('world', 'Hello world', f)).toBe(false);
    expect(templateToRegExp('x{*}', f).test('x\ny')).toBe(true);
  });

  it('unknownPlaceholder names the first placeholder the runner does not know', () => {
    expect(unknownPlaceholder('{A.port} {B.addr} {pid} {time} {*} {{x}')).toBeUndefined();
    expect(unknownPlaceholder('{A.port} {port}')).toBe('{port}');
    expect(unknownPlaceholder('{A.host}')).toBe('{A.host}');
    expect(unknownPlaceholder('{AB.port}')).toBe('{AB.port}');
    expect(unknownPlaceholder('{ spaced } {1}')).toBeUndefined();
  });
});

describe('canonicalOutput', () => {
  const f = facts({ portMap: new Map([[40123, 12345]]) });

  it('shows a real port as the port the program asked for', () => {
    expect(canonicalOutput('Listening on 127.0.0.1:40123', f)).toBe('Listening on 127.0.0.1:12345');
    expect(canonicalOutput('ports 40123 and 40123', f)).toBe('ports 12345 and 12345');
  });

  it('leaves numbers that merely contain the real port alone', () => {
    expect(canonicalOutput('401234 and 140123', f)).toBe('401234 and 140123');
  });

  it('drops a trailing carriage return', () => {
    expect(canonicalOutput('Hello\r', f)).toBe('Hello');
    expect(canonicalOutput('a\rb', f)).toBe('a\rb');
  });

  it('changes nothing when the program got the port it asked for, or there is no mapping', () => {
    expect(canonicalOutput('port 12345', facts({ portMap: new Map([[12345, 12345]]) }))).toBe('port 12345');
    expect(canonicalOutput('port 40123', facts())).toBe('port 40123');
  });
});

describe('toTemplate', () => {
  const f = facts();

  it('writes known values back as placeholders', () => {
    expect(toTemplate('Received new connection from 127.0.0.1:54321', f)).toBe(
      'Received new connection from {A.addr}:{A.port}',
    );
    expect(toTemplate('client ::1:54400 left', f)).toBe('client {B.addr}:{B.port} left');
    expect(toTemplate('port 54321 of pid 4242', f)).toBe('port {A.port} of pid {pid}');
    expect(toTemplate('542421 and 54321x', f)).toBe('542421 and 54321x');
  });

  it('escapes braces that would read as placeholders', () => {
    expect(toTemplate('{A.port}', f)).toBe('{{A.port}');
    expect(toTemplate('{"a":1} {*} {{', f)).toBe('{"a":1} {{*} {{{');
  });

  it('gives a template that matches the line it came from', () => {
    for (const line of ['from 127.0.0.1:54321 (pid 4242)', '{A.port} {{x}} {*}', 'plain', '{', '}{']) {
      const template = toTemplate(line, f);
      expect(unknownPlaceholder(template), template).toBeUndefined();
      expect(matchesTemplate(template, line, f), template).toBe(true);
    }
  });
});

describe('{listen.addr} and {dir}', () => {
  const facts = { clients: new Map(), portMap: new Map(), listenAddr: '::1', dir: '/tmp/workbook-run-abc' };

  it("match exactly the address the program listens on and the run's folder, and nothing before they are known", () => {
    expect(matchesTemplate('Listening on {listen.addr}', 'Listening on ::1', facts)).toBe(true);
    expect(matchesTemplate('Listening on {listen.addr}', 'Listening on localhost', facts)).toBe(false);
    expect(matchesTemplate('at {dir}/x.log', 'at /tmp/workbook-run-abc/x.log', facts)).toBe(true);
    expect(
      matchesTemplate('Listening on {listen.addr}', 'Listening on ::1', { clients: new Map(), portMap: new Map() }),
    ).toBe(false);
    expect(unknownPlaceholder('{listen.addr} {dir}')).toBeUndefined();
  });

  it("writes the run's folder back as {dir}", () => {
    expect(toTemplate("cannot open '/tmp/workbook-run-abc/x.log'", facts)).toBe("cannot open '{dir}/x.log'");
  });
});

describe('{hostname}', () => {
  const f = facts();
  const name = hostname();

  it('matches exactly the name this machine calls itself, and no other name', () => {
    expect(matchesTemplate("(machine name '{hostname}')", `(machine name '${name}')`, f)).toBe(true);
    for (const other of ['', 'localhost', `${name}x`, `x${name}`, `${name}.local`, name.toUpperCase() + '-']) {
      expect(matchesTemplate("(machine name '{hostname}')", `(machine name '${other}')`, f), other).toBe(false);
    }
    expect(unknownPlaceholder('{hostname}')).toBeUndefined();
    expect(unknownPlaceholder('{host}')).toBe('{host}');
  });

  it('takes the dots of a dotted name literally', () => {
    const real = os.hostname;
    os.hostname = () => 'build-7.example.org';
    syncBuiltinESMExports();
    try {
      expect(matchesTemplate('on {hostname}', 'on build-7.example.org', f)).toBe(true);
      expect(matchesTemplate('on {hostname}', 'on build-7xexample.org', f)).toBe(false);
    } finally {
      os.hostname = real;
      syncBuiltinESMExports();
    }
    expect(matchesTemplate('on {hostname}', `on ${hostname()}`, f)).toBe(true);
  });
});
