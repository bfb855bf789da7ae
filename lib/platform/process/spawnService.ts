import { spawn, type ChildProcess } from 'node:child_process';

export interface Spawned {
  child: ChildProcess;
  output: () => string;
  /** The URL the service announced. */
  url: string;
  /** Sends the signal (Ctrl-C is SIGINT) and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

const running = new Set<ChildProcess>();

/** Kills whatever a failed test left running (call it in afterAll), so jest never waits on a child. */
export function killAll(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}

/**
 * Runs an entry point as its own process, as a person or a container would, on embedded defaults (DATABASE_URL
 * removed), and waits until it prints a URL matching `ready`. A TypeScript entry runs through tsx, as in development;
 * a compiled one (`.js`, from `npm run build`) with plain node, as in the image.
 */
export async function spawnService(entry: string, env: Record<string, string>, ready: RegExp, timeoutMs = 60_000): Promise<Spawned> {
  const { DATABASE_URL: _ignored, ...inherited } = process.env;
  const child = spawn(process.execPath, entry.endsWith('.ts') ? ['--import', 'tsx', entry] : [entry], {
    env: { ...inherited, NODE_OPTIONS: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      clearInterval(poll);
      child.kill('SIGKILL');
      reject(new Error(`${entry} did not come up in ${timeoutMs} ms:\n${out}`));
    }, timeoutMs);
    const poll = setInterval(() => {
      const m = ready.exec(out);
      if (m) {
        clearInterval(poll);
        clearTimeout(timer);
        resolve(m[1]!);
      }
    }, 50);
    void exited.then((code) => {
      clearInterval(poll);
      clearTimeout(timer);
      reject(new Error(`${entry} exited with ${code}:\n${out}`));
    });
  });
  return {
    child,
    url,
    output: () => out,
    stop: (signal = 'SIGINT') => {
      child.kill(signal);
      return exited;
    },
  };
}

const FREE_PORTS = { GATEWAY_PORT: '0', LISTINGS_PORT: '0', ENFORCEMENT_PORT: '0', REPAIR_PORT: '0' };

/** `npm start`'s entry point on free ports; resolves once its banner names the gateway. */
export function npmStart(env: Record<string, string>): Promise<Spawned> {
  return spawnService('scripts/start.ts', { ...FREE_PORTS, ...env }, /gateway\s+(http:\/\/\S+\/graphql)/);
}
