import type { RequestOptions } from '../http/api-requester';
import type { Population, PopulationInput } from '../types/resources';
import { CollectionResource } from './collection-resource';
import type { ResourceContext } from './resource-context';

/** `/environments/{id}/populations`. PingOne refuses to delete the default population or one that still has users. */
export class PopulationsResource extends CollectionResource<Population, PopulationInput> {
  constructor(ctx: ResourceContext) {
    super(ctx, 'populations');
  }

  get(id: string, options?: RequestOptions): Promise<Population> {
    return this.read(id, {}, options);
  }
}
