import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import { readSpecText } from './reference-data';

/**
 * Validators for PingOne's OpenAPI component schemas, built by ajv from the spec itself at run time (not from a
 * copy): the components are registered as one document, so their `$ref`s resolve as written. OpenAPI 3.0 keywords
 * ajv doesn't know (`example`, `discriminator`, `x-*`) are ignored (strict: false); `nullable` is native to ajv.
 */
export class OpenApiValidator {
  readonly #ajv: Ajv;
  readonly #cache = new Map<string, ValidateFunction>();
  readonly schemaNames: ReadonlySet<string>;

  constructor() {
    const spec = parse(readSpecText(), { maxAliasCount: -1 }) as { components: { schemas: Record<string, unknown> } };
    this.schemaNames = new Set(Object.keys(spec.components.schemas));
    this.#ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
    addFormats(this.#ajv);
    this.#ajv.addSchema({ $id: 'pingone-openapi', components: spec.components }, 'pingone-openapi');
  }

  validator(schema: string): ValidateFunction {
    if (!this.schemaNames.has(schema)) throw new Error(`The spec has no component schema ${schema}.`);
    let fn = this.#cache.get(schema);
    if (!fn) {
      fn = this.#ajv.compile({ $ref: `pingone-openapi#/components/schemas/${schema}` });
      this.#cache.set(schema, fn);
    }
    return fn;
  }

  /** The validation errors as readable lines (empty when valid). */
  errors(schema: string, value: unknown): string[] {
    const fn = this.validator(schema);
    return fn(value) ? [] : (fn.errors ?? []).map((e) => `${schema}${e.instancePath} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
  }
}
