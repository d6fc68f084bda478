import { PingOneDriverError } from '../errors';

/**
 * Every mapping problem initialize() found, in one error: porting an app's entities should take one run, not one run
 * per column. `problems` has one line per problem, each naming the entity property and its fix; the message lists
 * them, then once each the context they share (a resource's known attributes, the user schema's custom attributes).
 */
export class PingOneMappingError extends PingOneDriverError {
  readonly problems: readonly string[];

  constructor(problems: readonly string[], notes: readonly string[]) {
    const body =
      problems.length === 1
        ? problems[0]
        : `initialize() found ${problems.length} mapping problems; each line says what to change:\n${problems.map((p) => `  - ${p}`).join('\n')}`;
    super('MAPPING_ERROR', [body, ...notes].join('\n'));
    this.name = 'PingOneMappingError';
    this.problems = Object.freeze([...problems]);
  }
}

/** Collects problems (and their shared notes, each once) while the mapping is built. */
export class MappingProblems {
  readonly #problems: string[] = [];
  readonly #notes = new Set<string>();

  add(problem: string, ...notes: readonly string[]): void {
    this.#problems.push(problem);
    for (const note of notes) if (note) this.#notes.add(note);
  }

  get count(): number {
    return this.#problems.length;
  }

  throwIfAny(): void {
    if (this.#problems.length > 0) throw new PingOneMappingError(this.#problems, [...this.#notes]);
  }
}
