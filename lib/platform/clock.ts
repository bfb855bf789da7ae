/** Time as the rules see it. Injected everywhere so tests can play a subject's life on a simulated clock. */
export interface Clock {
  now(): Date;
  /** Today's calendar date in China (UTC+8), YYYY-MM-DD: working days and deadlines are counted there. */
  today(): string;
}

const chinaDate = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });

export function chinaDateOf(instant: Date): string {
  return chinaDate.format(instant);
}

export const systemClock: Clock = {
  now: () => new Date(),
  today: () => chinaDateOf(new Date()),
};

/** A clock tests move by hand, to play a subject's life over years in seconds. Its time is noon in China. */
export class SimulatedClock implements Clock {
  constructor(private date: string) {}
  now(): Date {
    return new Date(`${this.date}T04:00:00Z`);
  }
  today(): string {
    return this.date;
  }
  set(date: string): void {
    this.date = date;
  }
}
