/** The detection rules of a running process, hot-reloaded from their folder: a new set replaces the running one only when every file is valid. */
import { watch, type FSWatcher } from 'node:fs';
import { RuleFileError } from '../../detection/sigma/ruleSet';
import type { RuleSet } from '../../detection/sigma/ruleSet';
import { loadDetectionRules, type DetectionRules } from '../../detection/detectionRules';

/** Why the last reload was refused: the running set stayed. */
export interface RuleReloadRefusal {
  readonly file: string;
  readonly line: number | undefined;
  readonly reason: string;
  readonly at: string;
}

export type ReloadOutcome =
  | { readonly outcome: 'replaced'; readonly version: string; readonly previous: string }
  | { readonly outcome: 'unchanged'; readonly version: string }
  | { readonly outcome: 'refused'; readonly version: string; readonly refusal: RuleReloadRefusal };

/** What `/readyz` shows about the rules a process runs. */
export interface DetectionStatus {
  readonly version: string;
  readonly rules: number;
  readonly loadedAt?: string;
  readonly lastRefusal?: RuleReloadRefusal;
}

export interface WatchOptions {
  /** Changes within this many ms are reloaded once (editors write a file in several steps). */
  readonly debounceMs?: number;
  readonly log: (level: 'info' | 'warn', message: string, fields: Record<string, unknown>) => void;
}

/**
 * Holds the running set and swaps it atomically: readers take `ruleSet` and `version` from one snapshot
 * (`current()`), so a reload never mixes two sets in one evaluation. The first load throws (start-up refuses an
 * invalid folder); later reloads never throw, they keep the running set and remember why.
 */
export class LiveDetectionRules implements DetectionRules {
  private running: DetectionRules;
  private loadedAt: string;
  private refusal: RuleReloadRefusal | undefined;

  constructor(
    readonly dir: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.running = loadDetectionRules(dir);
    this.loadedAt = now().toISOString();
  }

  get ruleSet(): RuleSet {
    return this.running.ruleSet;
  }

  get version(): string {
    return this.running.version;
  }

  /** The running set and its version, consistent with each other. */
  current(): DetectionRules {
    return this.running;
  }

  status(): DetectionStatus {
    return { version: this.running.version, rules: this.running.ruleSet.size, loadedAt: this.loadedAt, ...(this.refusal ? { lastRefusal: this.refusal } : {}) };
  }

  /** Loads and validates the whole folder again; replaces the running set only if all of it is valid. */
  reload(): ReloadOutcome {
    let next: DetectionRules;
    try {
      next = loadDetectionRules(this.dir);
    } catch (error) {
      if (!(error instanceof RuleFileError)) throw error;
      this.refusal = { file: error.file, line: error.line, reason: error.path ? `${error.path}: ${error.reason}` : error.reason, at: this.now().toISOString() };
      return { outcome: 'refused', version: this.running.version, refusal: this.refusal };
    }
    this.refusal = undefined;
    const previous = this.running;
    if (next.version === previous.version) return { outcome: 'unchanged', version: next.version };
    this.running = next;
    this.loadedAt = this.now().toISOString();
    return { outcome: 'replaced', version: next.version, previous: previous.version };
  }

  /** Reloads on every change below the folder (debounced); returns a function that stops watching. Does not keep the process alive. */
  watch({ debounceMs = 250, log }: WatchOptions): () => void {
    let timer: NodeJS.Timeout | undefined;
    const reloadNow = () => {
      timer = undefined;
      const result = this.reload();
      if (result.outcome === 'refused') {
        const { file, line, reason } = result.refusal;
        log('warn', 'detection rules not reloaded: the running set stays', { file, line, reason, version: result.version });
      } else if (result.outcome === 'replaced') {
        log('info', 'detection rules reloaded', { version: result.version, previous: result.previous, rules: this.running.ruleSet.size });
      }
    };
    let watcher: FSWatcher;
    try {
      watcher = watch(this.dir, { recursive: true, persistent: false }, () => {
        if (timer) clearTimeout(timer);
        timer = setTimeout(reloadNow, debounceMs);
        timer.unref();
      });
    } catch (error) {
      log('warn', 'detection rules folder cannot be watched: rules are not hot-reloaded', { dir: this.dir, error: error instanceof Error ? error.message : String(error) });
      return () => undefined;
    }
    watcher.on('error', (error) => log('warn', 'watching the detection rules folder failed', { dir: this.dir, error: error.message }));
    return () => {
      if (timer) clearTimeout(timer);
      watcher.close();
    };
  }
}

/** The status of any rule set a process holds: a live one reports reloads, a fixed one its version. */
export function detectionStatus(detection: DetectionRules): DetectionStatus {
  if (detection instanceof LiveDetectionRules) return detection.status();
  return { version: detection.version, rules: detection.ruleSet.size };
}
