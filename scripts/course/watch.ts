// Runs a lesson's check again whenever one of its programs or transcripts is saved, for --watch and the web page.
// Saves close together count as one, and a newer save ends the run under way (its programs are stopped through the
// AbortSignal) before the next one starts.
import { dirname, join } from 'node:path';
import type { FSWatcher } from 'chokidar';
import type { Lesson } from './lessons.ts';

export interface WatchOptions {
  /** Folders (or files) to watch. */
  paths: string[];
  /** Which files count: a lesson's programs and transcripts, not an editor's swap files. */
  accept: (path: string) => boolean;
  /** Poll instead of relying on file events (network drives, WSL's view of Windows folders). */
  poll: boolean;
  debounceMs: number;
  /** One check; it must stop soon after the signal aborts. */
  run: (signal: AbortSignal) => Promise<void>;
  /** Told as soon as a save arrives (before the debounce), for example to say a run was stopped. */
  onSave?: (path: string, interrupted: boolean) => void;
}

const DEFAULT_DEBOUNCE_MS = 150;
const POLL_INTERVAL_MS = 200;

/** Whether polling was asked for: `--poll`, or WORKBOOK_POLL=1 in the environment. */
export function pollingWanted(flag: boolean, env: NodeJS.ProcessEnv = process.env): boolean {
  return (
    flag || (env.WORKBOOK_POLL !== undefined && !['', '0', 'false', 'no'].includes(env.WORKBOOK_POLL.toLowerCase()))
  );
}

export class CheckWatcher {
  private watcher?: FSWatcher;
  private timer?: NodeJS.Timeout;
  private current?: { controller: AbortController; done: Promise<void> };
  private closed = false;
  /** Counts saves, so a run is started only for the latest one. */
  private saves = 0;

  private readonly options: WatchOptions;

  constructor(options: WatchOptions) {
    this.options = options;
  }

  /** Starts watching, then runs the first check; resolves once the watcher is ready and that check has begun. */
  async start(): Promise<void> {
    const { accept, poll } = this.options;
    // Loaded only here: a check without --watch does not pay for chokidar.
    const { watch } = await import('chokidar');
    this.watcher = watch(this.options.paths, {
      ignoreInitial: true,
      usePolling: poll,
      interval: POLL_INTERVAL_MS,
      binaryInterval: POLL_INTERVAL_MS,
      // Folders are always walked; of the files, only the lesson's own count.
      ignored: (path, stats) => stats?.isFile() === true && !accept(path),
    });
    for (const event of ['add', 'change', 'unlink'] as const)
      this.watcher.on(event, (path: string) => this.saved(path));
    await new Promise<void>((resolve, reject) => this.watcher!.once('ready', resolve).once('error', reject));
    this.begin();
  }

  private saved(path: string): void {
    if (this.closed) return;
    const running = this.current !== undefined && !this.current.controller.signal.aborted;
    // End the run under way now; the next one starts once the saves have settled and this one has stopped.
    this.current?.controller.abort();
    this.options.onSave?.(path, running);
    clearTimeout(this.timer);
    const save = ++this.saves;
    this.timer = setTimeout(() => void this.next(save), this.options.debounceMs);
  }

  private async next(save: number): Promise<void> {
    await this.current?.done.catch(() => {});
    // Another save may have come while the old run was stopping: its own timer starts the run.
    if (this.closed || save !== this.saves || this.current) return;
    this.begin();
  }

  private begin(): void {
    const controller = new AbortController();
    const done = this.options.run(controller.signal).finally(() => {
      if (this.current?.controller === controller) this.current = undefined;
    });
    this.current = { controller, done };
  }

  /** Stops watching, ends the run under way, and resolves when its programs are gone. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    const current = this.current;
    current?.controller.abort();
    await Promise.all([current?.done.catch(() => {}), this.watcher?.close()]);
  }
}

/** A watcher of the lesson's programs in `programDir` (its own, or the solution's) and of its transcripts. */
export function watchLesson(
  lesson: Lesson,
  programDir: string,
  options: Pick<WatchOptions, 'poll' | 'run' | 'onSave'>,
): CheckWatcher {
  const transcripts = join(lesson.dir, 'transcripts');
  return new CheckWatcher({
    ...options,
    paths: [programDir, transcripts],
    accept: (path) =>
      (path.endsWith('.ts') && dirname(path) === programDir) ||
      (path.endsWith('.txt') && dirname(path) === transcripts),
    debounceMs: DEFAULT_DEBOUNCE_MS,
  });
}
