import {
  ArrayMaxSize,
  IsArray,
  IsInt,
  IsISO8601,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { API_KEY_SCOPES, type ApiKeyScope } from '@lien/shared';
import { EnumListField, Field, TextField } from '../../../common/api-fields.js';

export class CreateApiKeyDto {
  @TextField(
    { example: 'Maternité — logiciel de salle de naissance', trim: true, min: 1, max: 100 },
    Matches(/^[^\p{Cc}]+$/u, { message: 'name must contain no control characters' }),
  )
  name!: string;

  @EnumListField(API_KEY_SCOPES, { example: ['parents:enrol'] }) scopes!: ApiKeyScope[];

  @Field(
    { optional: true, example: '2027-01-01T00:00:00Z', description: 'The key stops working at this instant' },
    IsISO8601({ strict: true }),
  )
  expiresAt?: string;

  @Field(
    {
      optional: true,
      example: ['203.0.113.0/24'],
      description: 'Networks (CIDR) or addresses the key may be used from; empty or absent: anywhere',
    },
    IsArray(),
    ArrayMaxSize(50),
    IsString({ each: true }),
    MaxLength(64, { each: true }),
  )
  allowedCidrs?: string[];

  @Field(
    { optional: true, example: 60, description: 'Requests per minute (default 60)' },
    IsInt(),
    Min(1),
    Max(10_000),
  )
  rateLimitPerMinute?: number;
}
