import { performance } from 'node:perf_hooks';

/**
 * PingOne's clock, as its answers tell it. Every response carries a `Date` header: PingOne's time when it answered,
 * cut to the whole second. An answer that left PingOne at its time S (with D ≤ S < D + 1 s) was sent by this process
 * at local moment `sent` and received at `received` (this process's monotonic clock, which no one can set), so the
 * offset between the two clocks lies in [D − received, D + 1000 − sent]. Every answer narrows that interval; the
 * driver uses it to say, in PingOne's time, when a request left this process, without trusting this machine's
 * wall clock (which may be minutes off).
 *
 * Assumes PingOne's servers keep one time (NTP) and that its clock and ours tick at the same rate between answers.
 */
export class ServerClock {
  /** the largest D − received seen: PingOne's time is at least local monotonic time + this */
  #low = -Infinity;
  /** the smallest D + 1000 − sent seen: PingOne's time is less than local monotonic time + this */
  #high = Infinity;

  /** This process's monotonic time, in ms: the moment to pass to `notBefore` / `notAfter` later. */
  now(): number {
    return performance.now();
  }

  /** Learns from one answer's `Date` header; `sent` and `received` are `now()` values around the exchange. */
  observe(date: string | undefined, sent: number, received: number): void {
    if (date === undefined) return;
    const at = Date.parse(date);
    if (!Number.isFinite(at)) return;
    const low = at - received;
    const high = at + 1000 - sent;
    if (low > this.#high || high < this.#low) {
      // This answer contradicts every earlier one: PingOne's clock was set (or this process's jumped); start over.
      this.#low = low;
      this.#high = high;
      return;
    }
    this.#low = Math.max(this.#low, low);
    this.#high = Math.min(this.#high, high);
  }

  /** The earliest PingOne time (epoch ms) the local moment `at` can have been; undefined before the first answer. */
  notBefore(at: number): number | undefined {
    return Number.isFinite(this.#low) ? Math.floor(at + this.#low) : undefined;
  }

  /** The latest PingOne time (epoch ms) the local moment `at` can have been; undefined before the first answer. */
  notAfter(at: number): number | undefined {
    return Number.isFinite(this.#high) ? Math.ceil(at + this.#high) : undefined;
  }
}
