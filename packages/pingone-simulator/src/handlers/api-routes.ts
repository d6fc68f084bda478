import type { ApiHandler } from '../api-request';
import { Router } from '../router';
import { readEnvironment } from './environments';
import { addDirectoryRoutes } from './directory-routes';
import { createGroup, deleteGroup, listGroups, readGroup, replaceGroup } from './groups';
import { addMembership, listMemberships, readMembership, removeMembership } from './memberships';
import { listSchemaAttributes, listSchemas, readSchema } from './schemas';
import { createPopulation, deletePopulation, listPopulations, readPopulation, replacePopulation } from './populations';
import {
  createUser,
  deleteUser,
  listUsers,
  patchUser,
  readEnabled,
  readUser,
  readUserPopulation,
  replaceUser,
  setPassword,
  updateEnabled,
  updateUserPopulation,
} from './users';
import { accountAction, passwordAction, readPasswordState, updateMfaEnabled } from './user-account';

const ENV = '/v1/environments/:envId';

/** Every management API route the simulator serves. Paths not listed answer 404; other methods 405. */
export function createApiRouter(): Router<ApiHandler> {
  const router = new Router<ApiHandler>()
    .add('GET', ENV, readEnvironment)
    .add('GET', `${ENV}/users`, listUsers)
    .add('POST', `${ENV}/users`, createUser)
    .add('GET', `${ENV}/users/:userId`, readUser)
    .add('PUT', `${ENV}/users/:userId`, replaceUser)
    .add('PATCH', `${ENV}/users/:userId`, patchUser)
    .add('POST', `${ENV}/users/:userId`, accountAction)
    .add('DELETE', `${ENV}/users/:userId`, deleteUser)
    .add('GET', `${ENV}/users/:userId/enabled`, readEnabled)
    .add('PUT', `${ENV}/users/:userId/enabled`, updateEnabled)
    .add('GET', `${ENV}/users/:userId/population`, readUserPopulation)
    .add('PUT', `${ENV}/users/:userId/population`, updateUserPopulation)
    .add('PUT', `${ENV}/users/:userId/password`, setPassword)
    .add('GET', `${ENV}/users/:userId/password`, readPasswordState)
    .add('POST', `${ENV}/users/:userId/password`, passwordAction)
    .add('PUT', `${ENV}/users/:userId/mfaEnabled`, updateMfaEnabled)
    .add('GET', `${ENV}/users/:userId/memberOfGroups`, listMemberships('users'))
    .add('POST', `${ENV}/users/:userId/memberOfGroups`, addMembership('users'))
    .add('GET', `${ENV}/users/:userId/memberOfGroups/:parentId`, readMembership('users'))
    .add('DELETE', `${ENV}/users/:userId/memberOfGroups/:parentId`, removeMembership('users'))
    .add('GET', `${ENV}/groups`, listGroups)
    .add('POST', `${ENV}/groups`, createGroup)
    .add('GET', `${ENV}/groups/:groupId`, readGroup)
    .add('PUT', `${ENV}/groups/:groupId`, replaceGroup)
    .add('DELETE', `${ENV}/groups/:groupId`, deleteGroup)
    .add('GET', `${ENV}/groups/:groupId/memberOfGroups`, listMemberships('groups'))
    .add('POST', `${ENV}/groups/:groupId/memberOfGroups`, addMembership('groups'))
    .add('GET', `${ENV}/groups/:groupId/memberOfGroups/:parentId`, readMembership('groups'))
    .add('DELETE', `${ENV}/groups/:groupId/memberOfGroups/:parentId`, removeMembership('groups'))
    .add('GET', `${ENV}/populations`, listPopulations)
    .add('POST', `${ENV}/populations`, createPopulation)
    .add('GET', `${ENV}/populations/:populationId`, readPopulation)
    .add('PUT', `${ENV}/populations/:populationId`, replacePopulation)
    .add('DELETE', `${ENV}/populations/:populationId`, deletePopulation)
    .add('GET', `${ENV}/schemas`, listSchemas)
    .add('GET', `${ENV}/schemas/:schemaId`, readSchema)
    .add('GET', `${ENV}/schemas/:schemaId/attributes`, listSchemaAttributes);
  addDirectoryRoutes(router);
  return router;
}
