// A program's environment: the variables that steer its ports, and for a graded one only a short allow-list.

/**
 * What a program needs to start and to behave as it does by hand: where commands are, the locale and time zone, the
 * temporary folder, and what Windows needs to run Node at all. Nothing else of the grader's environment is passed.
 */
export const ALLOWED_ENVIRONMENT = [
  'PATH',
  'LANG',
  'LC_ALL',
  'LC_CTYPE',
  'TZ',
  'TMPDIR',
  // Windows: Node needs these to find the system and a temporary folder.
  'Path',
  'PATHEXT',
  'SystemRoot',
  'SystemDrive',
  'windir',
  'TEMP',
  'TMP',
] as const;

/** The allowed variables of `from` (the grader's own environment), and nothing else. */
export function allowedEnvironment(from: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const name of ALLOWED_ENVIRONMENT) if (from[name] !== undefined) env[name] = from[name];
  return env;
}

/** Where the preload (scripts/preload/port-map.mjs) puts the ports a program listens on and connects to. */
export interface PortSteering {
  /** Requested port → real port, for ports that must look busy. */
  forcedPorts?: Record<number, number>;
  /** Requested port → a busy real port that every listen there after the first one gets instead. */
  restartPorts?: Record<number, number>;
  /** Port the program connects to → where a helper really listens; other fixed ports go to `closedPort`. */
  connectPorts?: Record<'tcp' | 'udp', Record<number, number>>;
  /** Real port of a helper → the address it bound, so a client reaches it whichever loopback name it used. */
  helperHosts?: Record<number, string>;
  closedPort?: number;
  /** false: the program keeps the ports it asks for (npm run try); the preload still reports where it listens. */
  mapPorts?: boolean;
}

/**
 * The variables that tell the preload how to steer ports. A program not steered (`mapPorts: false`) gets the mapping
 * undefined, which spawn leaves out, so none comes through from the runner's own environment either.
 */
export function portEnvironment(ports: PortSteering): NodeJS.ProcessEnv {
  const mapped = ports.mapPorts !== false;
  const env: NodeJS.ProcessEnv = {
    WORKBOOK_PORTS: mapped ? JSON.stringify(ports.forcedPorts ?? {}) : undefined,
    WORKBOOK_RESTART_PORTS: mapped ? JSON.stringify(ports.restartPorts ?? {}) : undefined,
  };
  if (ports.closedPort !== undefined) {
    env.WORKBOOK_CONNECT = JSON.stringify(ports.connectPorts ?? { tcp: {}, udp: {} });
    env.WORKBOOK_CONNECT_HOSTS = JSON.stringify(ports.helperHosts ?? {});
    env.WORKBOOK_CLOSED_PORT = String(ports.closedPort);
  }
  return env;
}
