import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { Group, User } from 'typeorm-pingone';
import type { UpdateGroupDto } from './group.dto.js';
import type { CreateUserDto } from './user.dto.js';

export interface UserQuery {
  readonly type?: string;
  readonly populationId?: string;
  readonly usernameStartsWith?: string;
  readonly limit: number;
  readonly offset: number;
}

/** Directory operations on plain TypeORM repositories; PingOne stays behind the driver. */
@Injectable()
export class DirectoryService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    @InjectRepository(Group) private readonly groups: Repository<Group>,
  ) {}

  async listUsers(query: UserQuery): Promise<{ total: number; users: User[] }> {
    const qb = this.users.createQueryBuilder('u').orderBy('u.username', 'ASC').skip(query.offset).take(query.limit);
    if (query.type) qb.andWhere('u.type = :type', { type: query.type });
    if (query.populationId) qb.andWhere('u.populationId = :pop', { pop: query.populationId });
    if (query.usernameStartsWith) qb.andWhere('u.username LIKE :prefix', { prefix: `${query.usernameStartsWith.replace(/[%_]/g, '')}%` });
    const [users, total] = await qb.getManyAndCount();
    return { total, users };
  }

  async getUser(id: string): Promise<User> {
    const user = await this.users.findOne({ where: { id }, relations: { groups: true, population: true } });
    if (!user) throw new NotFoundException(`No user ${id}.`);
    return user;
  }

  /** The body was validated by ValidationPipe; PingOne checks the rest (email format, unique username, population). */
  async createUser(input: CreateUserDto): Promise<User> {
    const created = await this.users.save(
      this.users.create({
        username: input.username,
        email: input.email,
        type: input.type ?? null,
        name: { given: input.givenName ?? null, family: input.familyName ?? null },
        ...(input.populationId ? { population: { id: input.populationId } } : {}),
      }),
    );
    return this.getUser(created.id);
  }

  async addToGroup(userId: string, groupId: string): Promise<User> {
    const user = await this.getUser(userId);
    const group = await this.groups.findOneBy({ id: groupId });
    if (!group) throw new NotFoundException(`No group ${groupId}.`);
    if (!user.groups!.some((g) => g.id === groupId)) {
      user.groups = [...user.groups!, group];
      await this.users.save(user);
    }
    return this.getUser(userId);
  }

  async groupMembers(groupId: string): Promise<{ group: string; members: User[] }> {
    const group = await this.groups.findOne({ where: { id: groupId }, relations: { users: true } });
    if (!group) throw new NotFoundException(`No group ${groupId}.`);
    return { group: group.name, members: group.users ?? [] };
  }

  /** Each group with its population: a population group takes only users of that population. */
  listGroups(): Promise<Group[]> {
    return this.groups.find({ order: { name: 'ASC' }, relations: { population: true } });
  }

  async updateGroup(id: string, input: UpdateGroupDto): Promise<Group> {
    const changes: Partial<Group> = {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...(input.customData !== undefined ? { customData: input.customData } : {}),
      ...(input.populationId !== undefined ? { population: { id: input.populationId } as Group['population'] } : {}),
    };
    const result = await this.groups.update(id, changes);
    if (result.affected === 0) throw new NotFoundException(`No group ${id}.`);
    const group = await this.groups.findOne({ where: { id }, relations: { population: true } });
    if (!group) throw new NotFoundException(`No group ${id}.`);
    return group;
  }
}
