import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsIn, IsOptional, IsUUID, ValidateNested } from 'class-validator';
import { SUPPORTED_EPDS_LANGUAGES, type ContactRequestEnrolRequest } from '@lien/shared';
import { ConsentDto } from '../../parents/dto/parent.dto.js';
import { IsIsoDay, IsParentName, IsParentPhone } from '../../parents/dto/parent-fields.js';

/** What enrolment needs beyond the request (first name, phone, role and language come pre-filled). */
export class EnrolContactRequestDto implements ContactRequestEnrolRequest {
  @ApiProperty({ example: 'Martin' })
  @IsParentName()
  lastName!: string;

  @ApiPropertyOptional({ example: '2026-02-26' })
  @IsOptional()
  @IsIsoDay()
  birthDate?: string;

  @ApiPropertyOptional({ example: '2026-06-15' })
  @IsOptional()
  @IsIsoDay()
  expectedTermDate?: string;

  @ApiPropertyOptional({ description: 'Overrides the first name of the request' })
  @IsOptional()
  @IsParentName()
  firstName?: string;

  @ApiPropertyOptional({ description: 'Overrides the phone of the request (required if it gave none)' })
  @IsOptional()
  @IsParentPhone()
  phone?: string;

  @ApiPropertyOptional({ enum: SUPPORTED_EPDS_LANGUAGES })
  @IsOptional()
  @IsIn(SUPPORTED_EPDS_LANGUAGES)
  language?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID('all')
  referentUserId?: string;

  @ApiProperty({ type: ConsentDto })
  @IsDefined()
  @ValidateNested()
  @Type(() => ConsentDto)
  consent!: ConsentDto;
}
