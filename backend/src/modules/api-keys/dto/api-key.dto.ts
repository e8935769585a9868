import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { API_KEY_SCOPES, type ApiKeyScope } from '@lien/shared';
import { Trim } from '../../../common/validation.js';

export class CreateApiKeyDto {
  @ApiProperty({ example: 'Maternité — logiciel de salle de naissance' })
  @IsString()
  @Trim()
  @Length(1, 100)
  @Matches(/^[^\p{Cc}]+$/u, { message: 'name must contain no control characters' })
  name!: string;

  @ApiProperty({ enum: API_KEY_SCOPES, isArray: true, example: ['parents:enrol'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(API_KEY_SCOPES.length)
  @ArrayUnique()
  @IsIn(API_KEY_SCOPES, { each: true, message: `scopes must each be one of ${API_KEY_SCOPES.join(', ')}` })
  scopes!: ApiKeyScope[];

  @ApiPropertyOptional({
    example: '2027-01-01T00:00:00Z',
    description: 'The key stops working at this instant',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  expiresAt?: string;

  @ApiPropertyOptional({
    example: ['203.0.113.0/24'],
    description: 'Networks (CIDR) or addresses the key may be used from; empty or absent: anywhere',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  allowedCidrs?: string[];

  @ApiPropertyOptional({ example: 60, description: 'Requests per minute (default 60)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10_000)
  rateLimitPerMinute?: number;
}
