import { Column, Entity, Index } from 'typeorm';
import { CreatedRow, References } from '../../database/entity-columns.js';
import { UserEntity } from './user.entity.js';

/** One row per issued refresh token; reuse of a rotated token revokes its whole family. */
@Entity('refresh_tokens')
export class RefreshTokenEntity extends CreatedRow {
  @Index() @Column({ type: 'uuid' }) userId!: string;
  @Index() @Column({ type: 'uuid' }) familyId!: string;
  @Index({ unique: true }) @Column({ type: 'varchar', length: 64 }) tokenHash!: string;
  @Column({ type: 'timestamptz' }) expiresAt!: Date;
  /** The session's absolute end (sign-in + REFRESH_TOKEN_ABSOLUTE_TTL_SECONDS), carried unchanged by rotations. */
  @Column({ type: 'timestamptz' }) sessionExpiresAt!: Date;
  @Column({ type: 'timestamptz', nullable: true }) rotatedAt!: Date | null;
  @Column({ type: 'timestamptz', nullable: true }) revokedAt!: Date | null;
  @References(() => UserEntity, 'CASCADE') user?: UserEntity;
}
