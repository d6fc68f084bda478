import type { IncomingHttpHeaders } from 'node:http';
import type { PagingPolicy } from './paging';
import type { RequestLimits } from './request-limits';
import type { Environment } from './store/environment';
import type { SimulatorStore } from './store/simulator-store';
import type { ViewContext } from './views';

/** What a handler sees of one management API request (already authenticated, body parsed). */
export interface ApiRequest {
  readonly method: string;
  readonly path: string;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  /** The raw query string (without `?`), echoed in `_links.self` like PingOne does. */
  readonly rawQuery: string;
  readonly headers: IncomingHttpHeaders;
  /** Media type of the body, lower-cased, without parameters (`application/json`). */
  readonly contentType: string;
  readonly body: unknown;
}

export interface ApiResponse {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface SimulatorSettings {
  readonly tokenLifetimeSeconds: number;
  readonly paging: PagingPolicy;
  /** Token endpoint behaviour: refresh-token rotation with replay detection (PingOne's default). */
  readonly refreshTokenRotation: boolean;
  /** 414 / 431 above these sizes; false: off. */
  readonly requestLimits: RequestLimits | false;
  /** `strict`: refuse weakly sourced filter cells; `caseSensitive`: fold case only where PingOne documents it. */
  readonly filters: { readonly strict: boolean; readonly caseSensitive: boolean };
}

/** Narrow dependencies handed to every handler. */
export interface HandlerContext {
  readonly request: ApiRequest;
  readonly environment: Environment;
  readonly view: ViewContext;
  readonly store: SimulatorStore;
  readonly settings: SimulatorSettings;
  /** filter cells a test made this simulator refuse (faults.refuseFilterCell) */
  readonly refusedCells: ReadonlySet<string>;
}

export type ApiHandler = (ctx: HandlerContext) => ApiResponse;
