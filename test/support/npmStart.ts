import { spawn, type ChildProcess } from 'node:child_process';

export interface Started {
  child: ChildProcess;
  output: () => string;
  gatewayUrl: string;
  /** Sends SIGINT (Ctrl-C) and resolves with the exit code. */
  interrupt(): Promise<number | null>;
}

/** Runs `npm start`'s entry point as a child process on free ports and waits for its banner. */
export async function npmStart(env: Record<string, string>, timeoutMs = 60_000): Promise<Started> {
  const { DATABASE_URL: _ignored, ...inherited } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    env: { ...inherited, GATEWAY_PORT: '0', LISTINGS_PORT: '0', ENFORCEMENT_PORT: '0', REPAIR_PORT: '0', NODE_OPTIONS: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const gatewayUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start did not come up in ${timeoutMs} ms:\n${out}`)), timeoutMs);
    const poll = setInterval(() => {
      const m = /gateway\s+(http:\/\/\S+\/graphql)/.exec(out);
      if (m) {
        clearInterval(poll);
        clearTimeout(timer);
        resolve(m[1]!);
      }
    }, 50);
    void exited.then((code) => {
      clearInterval(poll);
      clearTimeout(timer);
      reject(new Error(`npm start exited with ${code}:\n${out}`));
    });
  });
  return {
    child,
    gatewayUrl,
    output: () => out,
    interrupt: () => {
      child.kill('SIGINT');
      return exited;
    },
  };
}
