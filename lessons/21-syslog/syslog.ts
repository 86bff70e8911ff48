// The names and numbers of RFC 5424 (section 6.2.1): PRI = facility * 8 + severity.
export const FACILITIES = [
  'kern', 'user', 'mail', 'daemon', 'auth', 'syslog', 'lpr', 'news', 'uucp', 'cron', 'authpriv', 'ftp',
  'ntp', 'audit', 'alert', 'clock', 'local0', 'local1', 'local2', 'local3', 'local4', 'local5', 'local6', 'local7',
];
export const SEVERITIES = ['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug'];

export function encodePri(facility: number, severity: number): number {
  // TODO: return the PRI number: the facility times 8, plus the severity.
  return 0;
}

export function decodePri(pri: number): { facility: string; severity: string } {
  // TODO: the facility's index is the PRI divided by 8, rounded down (Math.floor); the severity's is the remainder
  // (%). Return their names from FACILITIES and SEVERITIES.
  return { facility: FACILITIES[0], severity: SEVERITIES[0] };
}
