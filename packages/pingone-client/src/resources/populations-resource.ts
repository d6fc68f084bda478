import type { RequestOptions } from '../http/api-requester';
import type { PagedList } from '../paging/paged-list';
import type { Population, PopulationInput } from '../types/resources';
import { listQuery, pagedList, segment, type ListParams, type ResourceContext } from './resource-context';

/** `/environments/{id}/populations`. No PATCH: `replace` sends the whole population. */
export class PopulationsResource {
  constructor(private readonly ctx: ResourceContext) {}

  list(params: ListParams = {}, options?: RequestOptions): PagedList<Population> {
    return pagedList<Population>(this.ctx, '/populations', 'populations', listQuery(params), options);
  }

  async get(id: string, options?: RequestOptions): Promise<Population> {
    return (await this.ctx.requester.request({ method: 'GET', url: `/populations/${segment(id)}` }, options)).body as Population;
  }

  async create(input: PopulationInput, options?: RequestOptions): Promise<Population> {
    return (await this.ctx.requester.request({ method: 'POST', url: '/populations', body: input }, options)).body as Population;
  }

  async replace(id: string, input: PopulationInput, options?: RequestOptions): Promise<Population> {
    return (await this.ctx.requester.request({ method: 'PUT', url: `/populations/${segment(id)}`, body: input }, options)).body as Population;
  }

  /** PingOne refuses to delete the default population or one that still has users. */
  async delete(id: string, options?: RequestOptions): Promise<void> {
    await this.ctx.requester.request({ method: 'DELETE', url: `/populations/${segment(id)}` }, options);
  }
}
