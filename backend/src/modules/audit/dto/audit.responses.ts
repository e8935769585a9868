import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import type { AuditEventView, AuditListResponse, AuditParentView } from '@lien/shared';

@ApiSchema({ name: 'AuditParentView' })
export class AuditParentViewResponse implements AuditParentView {
  @ApiProperty({ type: String, format: 'uuid' })
  id!: AuditParentView['id'];

  @ApiProperty({
    type: String,
    nullable: true,
    description:
      'First and last name, for a member of the parent’s organisation who reads parents (its org admin); null otherwise (platform admins included)',
  })
  name!: AuditParentView['name'];
}

@ApiSchema({ name: 'AuditEventView' })
export class AuditEventViewResponse implements AuditEventView {
  @ApiProperty({ type: String })
  id!: AuditEventView['id'];

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  organisationId!: AuditEventView['organisationId'];

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  actorId!: AuditEventView['actorId'];

  @ApiProperty({ type: String, nullable: true })
  actorDisplayName!: AuditEventView['actorDisplayName'];

  @ApiProperty({ type: String })
  action!: AuditEventView['action'];

  @ApiProperty({ type: String, nullable: true })
  targetType!: AuditEventView['targetType'];

  @ApiProperty({ type: String, nullable: true })
  targetId!: AuditEventView['targetId'];

  @ApiProperty({ type: String, nullable: true })
  ip!: AuditEventView['ip'];

  @ApiProperty({ type: String, nullable: true })
  requestId!: AuditEventView['requestId'];

  @ApiProperty({ type: 'object', additionalProperties: true })
  metadata!: AuditEventView['metadata'];

  @ApiProperty({
    type: () => AuditParentViewResponse,
    isArray: true,
    description:
      'The event’s target parent and the parent its metadata names; list reads keep their ids in metadata',
  })
  parents!: AuditEventView['parents'];

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: AuditEventView['createdAt'];
}

@ApiSchema({ name: 'AuditListResponse' })
export class AuditListResponseDto implements AuditListResponse {
  @ApiProperty({ type: () => AuditEventViewResponse, isArray: true })
  items!: AuditListResponse['items'];

  @ApiProperty({ type: Number })
  total!: AuditListResponse['total'];

  @ApiProperty({ type: Number })
  page!: AuditListResponse['page'];

  @ApiProperty({ type: Number })
  pageSize!: AuditListResponse['pageSize'];
}
