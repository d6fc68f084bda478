import type { RequestOptions } from '../http/api-requester';
import type { PagedList } from '../paging/paged-list';
import { pagedList, segment, type ListParams, type ResourceContext } from './resource-context';

/**
 * The calls groups and populations share (they have no PATCH: `replace` sends the whole resource and clears what
 * it omits). Users have more sub-resources and their own class.
 */
export class CollectionResource<T, Input> {
  constructor(
    protected readonly ctx: ResourceContext,
    private readonly plural: 'groups' | 'populations',
  ) {}

  list(params: ListParams = {}, options?: RequestOptions): PagedList<T> {
    return pagedList<T>(this.ctx, `/${this.plural}`, this.plural, params, options);
  }

  protected async read(id: string, query: Record<string, string | undefined>, options?: RequestOptions): Promise<T> {
    return (await this.ctx.requester.request({ method: 'GET', url: `/${this.plural}/${segment(id)}`, query }, options)).body as T;
  }

  async create(input: Input, options?: RequestOptions): Promise<T> {
    return (await this.ctx.requester.request({ method: 'POST', url: `/${this.plural}`, body: input }, options)).body as T;
  }

  /** PUT: attributes the input omits are cleared. */
  async replace(id: string, input: Input, options?: RequestOptions): Promise<T> {
    return (await this.ctx.requester.request({ method: 'PUT', url: `/${this.plural}/${segment(id)}`, body: input }, options)).body as T;
  }

  async delete(id: string, options?: RequestOptions): Promise<void> {
    await this.ctx.requester.request({ method: 'DELETE', url: `/${this.plural}/${segment(id)}` }, options);
  }
}
