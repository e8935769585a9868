import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { API_KEY_SCOPES, type ApiKeyView, type CreatedApiKey } from '@lien/shared';

@ApiSchema({ name: 'ApiKeyView' })
export class ApiKeyViewResponse implements ApiKeyView {
  @ApiProperty({ type: String, format: 'uuid' })
  id!: ApiKeyView['id'];

  @ApiProperty({ type: String })
  name!: ApiKeyView['name'];

  @ApiProperty({
    type: String,
    description: 'The first characters of the key, enough to recognise it',
    example: 'lien_live_AbCdEfGh',
  })
  prefix!: ApiKeyView['prefix'];

  @ApiProperty({ enum: API_KEY_SCOPES, isArray: true })
  scopes!: ApiKeyView['scopes'];

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  expiresAt!: ApiKeyView['expiresAt'];

  @ApiProperty({ type: String, isArray: true, description: 'Empty: any address', example: ['192.0.2.0/24'] })
  allowedCidrs!: ApiKeyView['allowedCidrs'];

  @ApiProperty({ type: Number })
  rateLimitPerMinute!: ApiKeyView['rateLimitPerMinute'];

  @ApiProperty({ type: String, format: 'uuid' })
  ownerUserId!: ApiKeyView['ownerUserId'];

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: ApiKeyView['createdAt'];

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  lastUsedAt!: ApiKeyView['lastUsedAt'];

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  revokedAt!: ApiKeyView['revokedAt'];
}

@ApiSchema({ name: 'CreatedApiKey' })
export class CreatedApiKeyResponse extends ApiKeyViewResponse implements CreatedApiKey {
  @ApiProperty({
    type: String,
    description: 'The key itself, shown in this answer only: send it as `Authorization: Bearer <key>`',
  })
  key!: CreatedApiKey['key'];
}
