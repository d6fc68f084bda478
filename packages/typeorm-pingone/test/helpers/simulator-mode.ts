import type { SimulatorOptions } from '@typeorm-pingone/simulator';

/**
 * The simulator the driver's read suites run against. Default: PingOne as the simulator plays it by default (every
 * weakly sourced filter cell accepted, strings compared case-insensitively). `PINGONE_SIMULATOR_MODE=strict`: the
 * strict, case-sensitive PingOne (weak cells refused with 400, strings compared exactly except username and email).
 * Both readings are plausible, so the suites must give the same answers under both; the jest project
 * `typeorm-pingone (strict, case-sensitive)` runs them in the second mode (jest.config.ts).
 */
export const strictSimulator = process.env.PINGONE_SIMULATOR_MODE === 'strict';

export function inSimulatorMode(options: SimulatorOptions): SimulatorOptions {
  return strictSimulator ? { ...options, strict: true, caseMode: 'sensitive' } : options;
}

/** The requests a test expects: the same in both modes, except where the strict simulator refuses a weak cell first. */
export function byMode<T>(expected: { default: T; strict: T }): T {
  return strictSimulator ? expected.strict : expected.default;
}
