import { randomUUID } from 'node:crypto';
import type { ApiResponse, HandlerContext } from '../api-request';
import { httpErrors } from '../errors';
import { compact, nowIso, pickAttributes, POPULATION_WRITABLE, type Json } from '../store/attributes';
import { renderPopulation } from '../views';
import { listCollection } from './list-filter';
import { objectBody, optionalString, requiredString } from './request-body';

function populationOr404(ctx: HandlerContext): Json & { id: string } {
  const record = ctx.environment.populations.get(ctx.request.params.populationId ?? '');
  if (!record) throw httpErrors.notFound();
  return record.data as Json & { id: string };
}

function validatePopulation(ctx: HandlerContext, population: Json, selfId?: string): void {
  const name = requiredString(population, 'name', 256);
  optionalString(population, 'description', 1024);
  if (population.default !== undefined && typeof population.default !== 'boolean') {
    throw httpErrors.invalidData({ code: 'INVALID_VALUE', target: 'default', message: 'default must be true or false.' });
  }
  for (const record of ctx.environment.populations.values()) {
    if (record.data.id !== selfId && String(record.data.name).toLowerCase() === name.toLowerCase()) {
      throw httpErrors.invalidData({
        code: 'UNIQUENESS_VIOLATION',
        target: 'name',
        message: 'A resource with the specified name already exists.',
        innerError: { existingId: record.data.id },
      });
    }
  }
}

/** Only one population is the default: making one the default clears the flag on the previous one. */
function applyDefault(ctx: HandlerContext, population: Json): void {
  if (population.default !== true) return;
  for (const record of ctx.environment.populations.values()) {
    if (record.data.id !== population.id && record.data.default === true) record.data = { ...record.data, default: false };
  }
}

export function listPopulations(ctx: HandlerContext): ApiResponse {
  // Pages of at most 250 populations, PingOne's documented default (settings.paging.pageSizes).
  return listCollection(ctx, ctx.environment.populations, 'populations', (data) => renderPopulation(ctx.view, data));
}

export function readPopulation(ctx: HandlerContext): ApiResponse {
  return { status: 200, body: renderPopulation(ctx.view, populationOr404(ctx)) };
}

export function createPopulation(ctx: HandlerContext): ApiResponse {
  const now = nowIso();
  const population = compact({
    id: randomUUID(),
    environment: { id: ctx.environment.id },
    ...pickAttributes(objectBody(ctx.request.body, ctx.request.contentType), POPULATION_WRITABLE),
    createdAt: now,
    updatedAt: now,
  }) as Json & { id: string };
  validatePopulation(ctx, population);
  applyDefault(ctx, population);
  ctx.environment.populations.insert(population);
  return { status: 201, body: renderPopulation(ctx.view, population) };
}

export function replacePopulation(ctx: HandlerContext): ApiResponse {
  const current = populationOr404(ctx);
  const population = compact({
    id: current.id,
    environment: current.environment,
    ...pickAttributes(objectBody(ctx.request.body, ctx.request.contentType), POPULATION_WRITABLE),
    createdAt: current.createdAt,
    updatedAt: nowIso(),
  }) as Json & { id: string };
  if (current.default === true && population.default !== true) {
    throw httpErrors.invalidData({
      code: 'CONSTRAINT_VIOLATION',
      target: 'default',
      message: 'The environment must have a default population. Make another population the default instead.',
    });
  }
  validatePopulation(ctx, population, current.id);
  applyDefault(ctx, population);
  ctx.environment.populations.get(current.id)!.data = population;
  return { status: 200, body: renderPopulation(ctx.view, population) };
}

/** A population with users, or the default one, can't be deleted (pingone-api.md §3.1). */
export function deletePopulation(ctx: HandlerContext): ApiResponse {
  const population = populationOr404(ctx);
  if (population.default === true) {
    throw httpErrors.invalidData({
      code: 'CONSTRAINT_VIOLATION',
      target: 'default',
      message: 'The default population cannot be deleted. Make another population the default first.',
    });
  }
  const users = ctx.environment.populationUserCount(population.id);
  if (users > 0) {
    throw httpErrors.invalidData({
      code: 'CONSTRAINT_VIOLATION',
      target: 'population',
      message: `The population still contains ${users} user(s). Move or delete its users first.`,
    });
  }
  ctx.environment.populations.delete(population.id);
  return { status: 204 };
}
