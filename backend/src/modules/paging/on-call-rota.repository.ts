import { Injectable } from '@nestjs/common';
import { DataSource, In, type EntityManager } from 'typeorm';
import { OrganisationEntity } from '../organisations/organisation.entity.js';
import { UserEntity } from '../users/user.entity.js';
import { OnCallRotaEntity } from './on-call-rota.entity.js';

/** What an organisation's rota says, as it is written (the organisation is the key). */
export type RotaToSave = Pick<OnCallRotaEntity, 'ackMinutes' | 'voice' | 'entries'>;

/**
 * The on-call rotas' only door to the database (one rota per organisation), with the reads a rota is checked
 * and read against: the organisation (its département for the numbers, its time zone for the hours) and its
 * active members. Without a manager a method reads outside any transaction.
 */
@Injectable()
export class OnCallRotaRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The organisation's rota, or null when it set none up. */
  find(
    organisationId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<OnCallRotaEntity | null> {
    return manager.findOneBy(OnCallRotaEntity, { organisationId });
  }

  /** The rota this transaction just wrote (it exists: a missing one throws). */
  findWritten(organisationId: string, manager: EntityManager): Promise<OnCallRotaEntity> {
    return manager.findOneByOrFail(OnCallRotaEntity, { organisationId });
  }

  /** Whether the organisation set up an on-call rota (paging is for those that did). */
  exists(organisationId: string, manager: EntityManager): Promise<boolean> {
    return manager.existsBy(OnCallRotaEntity, { organisationId });
  }

  /** Writes the organisation's rota, replacing the one it had. */
  async save(organisationId: string, manager: EntityManager, rota: RotaToSave): Promise<void> {
    await manager.upsert(OnCallRotaEntity, { organisationId, ...rota }, ['organisationId']);
  }

  /** The organisation (its time zone and on-call e-mail), or null when there is no such organisation. */
  organisation(organisationId: string, manager?: EntityManager): Promise<OrganisationEntity | null> {
    return (manager ?? this.dataSource.manager).findOneBy(OrganisationEntity, { id: organisationId });
  }

  /** Which of these users are active members of the organisation (a rota names no one else). */
  async activeMemberIds(organisationId: string, userIds: readonly string[]): Promise<Set<string>> {
    const members = await this.dataSource.manager.find(UserEntity, {
      where: { id: In([...new Set(userIds)]), organisationId, active: true },
      select: { id: true },
    });
    return new Set(members.map((user) => user.id));
  }
}
