// Mistake: PRI is decoded with the remainder as the facility and the quotient as the severity, the wrong way round.
// Replaces: syslog.ts
// Fails: collector-decodes.txt:6
// The names and numbers of RFC 5424 (section 6.2.1): PRI = facility * 8 + severity.
export const FACILITIES = [
  'kern', 'user', 'mail', 'daemon', 'auth', 'syslog', 'lpr', 'news', 'uucp', 'cron', 'authpriv', 'ftp',
  'ntp', 'audit', 'alert', 'clock', 'local0', 'local1', 'local2', 'local3', 'local4', 'local5', 'local6', 'local7',
];
export const SEVERITIES = ['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug'];

export function encodePri(facility: number, severity: number): number {
  return facility * 8 + severity;
}

export function decodePri(pri: number): { facility: string; severity: string } {
  return { facility: FACILITIES[pri % 8], severity: SEVERITIES[Math.floor(pri / 8)] };
}
