import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import type { UserListResponse, UserSummary } from '@lien/shared';
import { UserTerritoryResponse } from '../../auth/dto/auth.responses.js';

@ApiSchema({ name: 'UserSummary' })
export class UserSummaryResponse implements UserSummary {
  @ApiProperty({ type: String })
  id!: UserSummary['id'];

  @ApiProperty({ type: String })
  email!: UserSummary['email'];

  @ApiProperty({ type: String })
  displayName!: UserSummary['displayName'];

  @ApiProperty({ enum: ['professional', 'org_admin', 'coordinator', 'platform_admin'] })
  role!: UserSummary['role'];

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  organisationId!: UserSummary['organisationId'];

  @ApiProperty({ type: String, nullable: true })
  organisationName!: UserSummary['organisationName'];

  @ApiProperty({ type: () => UserTerritoryResponse })
  territory!: UserSummary['territory'];

  @ApiProperty({ type: String, nullable: true })
  rpps!: UserSummary['rpps'];

  @ApiProperty({ enum: ['active', 'invited', 'locked', 'inactive'] })
  status!: UserSummary['status'];

  @ApiProperty({ type: Boolean })
  active!: UserSummary['active'];

  @ApiProperty({ type: Boolean })
  totpEnabled!: UserSummary['totpEnabled'];

  @ApiProperty({ type: Boolean })
  oidcLinked!: UserSummary['oidcLinked'];

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  lastLoginAt!: UserSummary['lastLoginAt'];

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: UserSummary['createdAt'];
}

@ApiSchema({ name: 'UserListResponse' })
export class UserListResponseDto implements UserListResponse {
  @ApiProperty({ type: () => UserSummaryResponse, isArray: true })
  items!: UserListResponse['items'];

  @ApiProperty({ type: Number })
  total!: UserListResponse['total'];

  @ApiProperty({ type: Number })
  page!: UserListResponse['page'];

  @ApiProperty({ type: Number })
  pageSize!: UserListResponse['pageSize'];
}

/** `POST /api/users/password-reset/request`: always the same answer, account or not. */
@ApiSchema({ name: 'PasswordResetAccepted' })
export class PasswordResetAcceptedResponse {
  @ApiProperty({ enum: ['accepted'] })
  status!: 'accepted';
}
