import { Column, Entity, Index } from 'typeorm';
import { CreatedRow, References } from '../../database/entity-columns.js';
import { UserEntity } from './user.entity.js';

export type UserTokenPurpose = 'invitation' | 'password_reset';

/** One-time links sent by email (set a first password, reset it). Only the hash is stored. */
@Entity('user_tokens')
export class UserTokenEntity extends CreatedRow {
  @Index() @Column({ type: 'uuid' }) userId!: string;
  @Column({ type: 'varchar', length: 20 }) purpose!: UserTokenPurpose;
  @Index({ unique: true }) @Column({ type: 'varchar', length: 64 }) tokenHash!: string;
  @Column({ type: 'timestamptz' }) expiresAt!: Date;
  @Column({ type: 'timestamptz', nullable: true }) usedAt!: Date | null;
  @References(() => UserEntity, 'CASCADE') user?: UserEntity;
}
