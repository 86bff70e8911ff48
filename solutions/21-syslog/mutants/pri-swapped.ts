// Mistake: PRI is computed as severity * 8 + facility, the two swapped, so user.notice is sent as 41 instead of 13.
// Replaces: syslog.ts
// Fails: logger-defaults.txt:4
// The names and numbers of RFC 5424 (section 6.2.1): PRI = facility * 8 + severity.
export const FACILITIES = [
  'kern', 'user', 'mail', 'daemon', 'auth', 'syslog', 'lpr', 'news', 'uucp', 'cron', 'authpriv', 'ftp',
  'ntp', 'audit', 'alert', 'clock', 'local0', 'local1', 'local2', 'local3', 'local4', 'local5', 'local6', 'local7',
];
export const SEVERITIES = ['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug'];

export function encodePri(facility: number, severity: number): number {
  return severity * 8 + facility;
}

export function decodePri(pri: number): { facility: string; severity: string } {
  return { facility: FACILITIES[Math.floor(pri / 8)], severity: SEVERITIES[pri % 8] };
}
