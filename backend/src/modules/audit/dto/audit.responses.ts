import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import type { AuditEventView, AuditListResponse } from '@lien/shared';

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
