import { watch, type FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { describeError, logOf } from '../lib/platform/observe/log.js';
import { supergraphReloads } from '../lib/platform/observe/metrics.js';
import type { OperationRegistry } from './pipeline/registeredOperations.js';
import type { Gateway } from './server.js';

const log = logOf('gateway');
/** Editors and deploy tools write a file in several steps: act once they are done. */
const SETTLE_MS = 200;

export interface SupergraphSources {
  supergraphFile: string;
  operationsDir: string;
  /** Every client's registered operations, read from `operationsDir`. */
  loadOperations: () => Promise<OperationRegistry>;
}

/**
 * Reloads the gateway when its supergraph file or its registered operations change, and on SIGHUP: one reload at a
 * time, another after it when something changed meanwhile. A reload that fails (a supergraph that does not load, an
 * operation it breaks) leaves the gateway serving what it served, and says why in the log and the metrics.
 */
export function watchSupergraph(gateway: Gateway, sources: SupergraphSources) {
  let running: Promise<void> | null = null;
  let again = false;
  let timer: NodeJS.Timeout | undefined;

  const once = async (): Promise<void> => {
    try {
      const [supergraphSdl, operations] = await Promise.all([readFile(sources.supergraphFile, 'utf8'), sources.loadOperations()]);
      const { changed } = await gateway.reload({ supergraphSdl, operations });
      supergraphReloads.inc({ outcome: changed ? 'applied' : 'unchanged' });
      if (changed) log.info({ operations: operations.size }, 'supergraph and registered operations reloaded');
    } catch (error) {
      supergraphReloads.inc({ outcome: 'refused' });
      log.error({ error: describeError(error) }, 'reload refused: still serving the previous supergraph');
    }
  };
  const reload = (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    running = once().finally(() => {
      running = null;
      if (again) {
        again = false;
        void reload();
      }
    });
    return running;
  };
  const soon = () => {
    clearTimeout(timer);
    timer = setTimeout(() => void reload(), SETTLE_MS);
  };

  const watchers: FSWatcher[] = [];
  const file = basename(sources.supergraphFile);
  watchers.push(watch(dirname(sources.supergraphFile), (_event, name) => name === file && soon()));
  try {
    watchers.push(watch(sources.operationsDir, soon));
  } catch {
    log.warn({ operationsDir: sources.operationsDir }, 'no registered operations directory to watch');
  }
  for (const w of watchers) w.unref();
  const onSignal = () => void reload();
  process.on('SIGHUP', onSignal);
  return {
    /** Reloads now; resolves when done (whether applied, unchanged or refused). */
    reload,
    stop: async () => {
      clearTimeout(timer);
      process.off('SIGHUP', onSignal);
      for (const w of watchers) w.close();
      await running;
    },
  };
}
