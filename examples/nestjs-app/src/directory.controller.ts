import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { BoundedIntPipe } from './bounded-int.pipe.js';
import { DirectoryService } from './directory.service.js';
import { UpdateGroupDto } from './group.dto.js';
import { CreateUserDto } from './user.dto.js';

/** Page size: PingOne pages hold up to 1000, but one HTTP answer of this app holds at most 200 users. */
const LIMIT = new BoundedIntPipe('limit', { min: 1, max: 200, fallback: 20 });
const OFFSET = new BoundedIntPipe('offset', { min: 0, max: 1_000_000, fallback: 0 });

@Controller()
export class DirectoryController {
  constructor(private readonly directory: DirectoryService) {}

  /** GET /users?type=Contractor&populationId=…&username=ada&limit=20&offset=0 */
  @Get('users')
  listUsers(
    @Query() query: Record<string, string | undefined>,
    @Query('limit', LIMIT) limit: number,
    @Query('offset', OFFSET) offset: number,
  ) {
    return this.directory.listUsers({
      ...(query.type ? { type: query.type } : {}),
      ...(query.populationId ? { populationId: query.populationId } : {}),
      ...(query.username ? { usernameStartsWith: query.username } : {}),
      limit,
      offset,
    });
  }

  @Get('users/:id')
  getUser(@Param('id', ParseUUIDPipe) id: string) {
    return this.directory.getUser(id);
  }

  @Post('users')
  createUser(@Body() body: CreateUserDto) {
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

  @Patch('groups/:id')
  updateGroup(@Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateGroupDto) {
    return this.directory.updateGroup(id, body);
  }

  @Get('groups/:id/members')
  groupMembers(@Param('id', ParseUUIDPipe) id: string) {
    return this.directory.groupMembers(id);
  }
}
