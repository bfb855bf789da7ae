import { describeError, log } from '../observe/log.js';

/** Runs `stop` once on SIGINT or SIGTERM, then exits: every service of this project stops this way. */
export function onShutdown(stop: () => Promise<void>): void {
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, `${signal}: stopping...`);
    try {
      await stop();
      log.info('stopped.');
      process.exit(0);
    } catch (error) {
      log.error({ error: describeError(error) }, 'error while stopping');
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}
