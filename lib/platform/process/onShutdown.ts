/** Runs `stop` once on SIGINT or SIGTERM, then exits: every service of this project stops this way. */
export function onShutdown(stop: () => Promise<void>): void {
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping...`);
    try {
      await stop();
      console.log('stopped.');
      process.exit(0);
    } catch (error) {
      console.error('error while stopping:', error);
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}
