import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { DirectoryService, type NewUser } from './directory.service.js';

function bounded(value: string | undefined, fallback: number, max: number): number {
  const n = Number(value ?? fallback);
  return Number.isInteger(n) && n >= 0 ? Math.min(n, max) : fallback;
}

@Controller()
export class DirectoryController {
  constructor(private readonly directory: DirectoryService) {}

  /** GET /users?type=Contractor&populationId=…&username=ada&limit=20&offset=0 */
  @Get('users')
  listUsers(@Query() query: Record<string, string | undefined>) {
    return this.directory.listUsers({
      ...(query.type ? { type: query.type } : {}),
      ...(query.populationId ? { populationId: query.populationId } : {}),
      ...(query.username ? { usernameStartsWith: query.username } : {}),
      limit: bounded(query.limit, 20, 200),
      offset: bounded(query.offset, 0, 1_000_000),
    });
  }

  @Get('users/:id')
  getUser(@Param('id', ParseUUIDPipe) id: string) {
    return this.directory.getUser(id);
  }

  @Post('users')
  createUser(@Body() body: NewUser) {
    return this.directory.createUser(body);
  }

  @Post('users/:id/groups/:groupId')
  addToGroup(@Param('id', ParseUUIDPipe) id: string, @Param('groupId', ParseUUIDPipe) groupId: string) {
    return this.directory.addToGroup(id, groupId);
  }

  @Get('groups')
  listGroups() {
    return this.directory.listGroups();
  }

  @Get('groups/:id/members')
  groupMembers(@Param('id', ParseUUIDPipe) id: string) {
    return this.directory.groupMembers(id);
  }
}
