import { describeError, log } from '../observe/log.js';

/**
 * Runs `work` at start and then every `intervalMs` (what time does by itself in a service), one pass at a time;
 * a failed pass is reported and the next one runs as planned. `stop` waits for a running pass.
 */
export function startPeriodic(name: string, work: () => Promise<unknown>, intervalMs = 60_000) {
  let running: Promise<unknown> = Promise.resolve();
  const tick = () => {
    running = running.then(work).catch((error: unknown) => log.error({ work: name, error: describeError(error) }, `${name} failed`));
    return running;
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  void tick();
  return {
    /** Runs a pass now (tests on a simulated clock; after a clock change). */
    tick,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
