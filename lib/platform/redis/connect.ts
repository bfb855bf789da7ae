import { Redis } from 'ioredis';

export interface ConnectOptions {
  /** How long startup may take to reach Redis before it is an error. */
  connectTimeoutMs?: number;
  /** Any command waits at most this long, so an outage fails the caller instead of hanging it. */
  commandTimeoutMs?: number;
}

/**
 * Connects now, so a wrong or unreachable REDIS_URL fails startup with a clear message (naming `purpose`,
 * the password redacted) instead of hanging; once up, the connection reconnects by itself.
 */
export async function connectRedis(url: string, purpose: string, options: ConnectOptions = {}): Promise<Redis> {
  const connectTimeoutMs = options.connectTimeoutMs ?? 3000;
  let started = false;
  let lastError: Error | undefined;
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: connectTimeoutMs,
    commandTimeout: options.commandTimeoutMs ?? 1000,
    maxRetriesPerRequest: 1,
    // No retries while starting (fail fast); once up, reconnect with a capped backoff.
    retryStrategy: (times) => (started ? Math.min(times * 100, 2000) : null),
  });
  // Without a listener ioredis prints every connection error; commands report failures to their callers anyway.
  redis.on('error', (error: Error) => {
    lastError = error;
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      redis.connect(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${connectTimeoutMs} ms`)), connectTimeoutMs);
      }),
    ]);
  } catch (error) {
    redis.disconnect();
    const cause = lastError ?? (error as Error);
    throw new Error(`${purpose} cannot reach Redis at ${redact(url)}: ${cause.message}`, { cause });
  } finally {
    clearTimeout(timer);
  }
  started = true;
  return redis;
}

/** The URL without its password, fit for a log line. */
export function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable REDIS_URL)';
  }
}
