import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  Equals,
  IsBoolean,
  IsDefined,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import {
  PARENT_ROLES,
  PARENT_STATUSES,
  SUPPORTED_EPDS_LANGUAGES,
  type EnrolParentRequest,
  type ParentRole,
  type ParentStatus,
  type UpdateParentRequest,
} from '@lien/shared';
import { PageQuery } from '../../../common/paging.js';
import { IsOptionalNotNull, Trim } from '../../../common/validation.js';
import { IsIsoDay, IsParentName, IsParentPhone } from './parent-fields.js';

export class ConsentDto {
  @ApiProperty({ description: 'Must be true' })
  @IsBoolean()
  @Equals(true, { message: 'consent.given must be true: enrolment needs the parent’s consent' })
  given!: boolean;

  @ApiProperty({ example: '2026-01', description: 'Version of the consent text shown to the parent' })
  @IsString()
  @Trim()
  @Length(1, 32)
  textVersion!: string;
}

export class EnrolParentDto implements EnrolParentRequest {
  @ApiProperty({ example: 'Camille' })
  @IsParentName()
  firstName!: string;

  @ApiProperty({ example: 'Martin' })
  @IsParentName()
  lastName!: string;

  @ApiProperty({ example: '06 12 34 56 78', description: 'French mobile, metropolitan or overseas' })
  @IsParentPhone()
  phone!: string;

  @ApiProperty({ enum: PARENT_ROLES })
  @IsIn(PARENT_ROLES)
  role!: ParentRole;

  @ApiProperty({ enum: SUPPORTED_EPDS_LANGUAGES })
  @IsIn(SUPPORTED_EPDS_LANGUAGES)
  language!: string;

  @ApiPropertyOptional({ example: '2026-02-26' })
  @IsOptional()
  @IsIsoDay()
  birthDate?: string;

  @ApiPropertyOptional({ example: '2026-06-15' })
  @IsOptional()
  @IsIsoDay()
  expectedTermDate?: string;

  @ApiPropertyOptional({
    description: 'A user of the same organisation; defaults to the enrolling professional',
  })
  @IsOptional()
  @IsUUID('all')
  referentUserId?: string;

  @ApiProperty({ type: ConsentDto })
  @IsDefined()
  @ValidateNested()
  @Type(() => ConsentDto)
  consent!: ConsentDto;
}

export class UpdateParentDto implements UpdateParentRequest {
  @ApiPropertyOptional()
  @IsOptionalNotNull()
  @IsParentName()
  firstName?: string;

  @ApiPropertyOptional()
  @IsOptionalNotNull()
  @IsParentName()
  lastName?: string;

  @ApiPropertyOptional()
  @IsOptionalNotNull()
  @IsParentPhone()
  phone?: string;

  @ApiPropertyOptional({ enum: PARENT_ROLES })
  @IsOptionalNotNull()
  @IsIn(PARENT_ROLES)
  role?: ParentRole;

  @ApiPropertyOptional({ enum: SUPPORTED_EPDS_LANGUAGES })
  @IsOptionalNotNull()
  @IsIn(SUPPORTED_EPDS_LANGUAGES)
  language?: string;

  @ApiPropertyOptional({
    description: 'Records the birth of an antenatal enrolment (plans the waves); cannot change once set',
  })
  @IsOptionalNotNull()
  @IsIsoDay()
  birthDate?: string;

  @ApiPropertyOptional()
  @IsOptionalNotNull()
  @IsIsoDay()
  expectedTermDate?: string;

  @ApiPropertyOptional()
  @IsOptionalNotNull()
  @IsUUID('all')
  referentUserId?: string;
}

export class ListParentsQuery extends PageQuery {
  @ApiPropertyOptional({
    description:
      'A phone number, or the start of a first or last name (2 letters at least; case and accents ignored)',
  })
  @IsOptional()
  @IsString()
  @Trim()
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional({ enum: PARENT_STATUSES })
  @IsOptional()
  @IsIn(PARENT_STATUSES)
  status?: ParentStatus;
}
