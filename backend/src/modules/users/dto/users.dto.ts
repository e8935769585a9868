import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  MaxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import {
  FRENCH_REGIONS,
  USER_ROLES,
  type InviteUserRequest,
  type PasswordResetRequest,
  type SetPasswordRequest,
  type UpdateUserRequest,
  type UserRole,
} from '@lien/shared';
import { PageQuery } from '../../../common/paging.js';
import { IsEmailAddress, IsOptionalNotNull } from '../../../common/validation.js';

const DEPARTEMENT_CODES: readonly string[] = Object.values(FRENCH_REGIONS).flat();
const REGION_NAMES: readonly string[] = Object.keys(FRENCH_REGIONS);

export class TerritoryDto {
  @ApiPropertyOptional({ example: ['62', '59'], description: 'INSEE département codes' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(101)
  @IsIn(DEPARTEMENT_CODES, {
    each: true,
    message: 'departements must hold INSEE département codes such as "62" or "974"',
  })
  departements?: string[];

  @ApiPropertyOptional({ example: 'Hauts-de-France', nullable: true })
  @IsOptional()
  @ValidateIf((_object, value) => value !== null)
  @IsIn(REGION_NAMES, { message: 'region must be a French region name' })
  region?: string | null;
}

export class InviteUserDto implements InviteUserRequest {
  @ApiProperty({ example: 'sage-femme@pmi62.fr' })
  @IsEmailAddress()
  email!: string;

  @ApiProperty({ example: 'Claire Martin' })
  @IsString()
  @Length(1, 200)
  displayName!: string;

  @ApiProperty({ enum: USER_ROLES })
  @IsIn(USER_ROLES)
  role!: UserRole;

  @ApiPropertyOptional({ description: 'Platform admins: the organisation of an org admin' })
  @IsOptional()
  @IsUUID('all', { message: 'organisationId must be a UUID' })
  organisationId?: string;

  @ApiPropertyOptional({ type: TerritoryDto, description: 'Coordinators only' })
  @IsOptional()
  @ValidateNested()
  @Type(() => TerritoryDto)
  territory?: TerritoryDto;

  @ApiPropertyOptional({ example: '10001234567', nullable: true })
  @IsOptional()
  @ValidateIf((_object, value) => value !== null)
  @Matches(/^\d{11}$/, { message: 'rpps must be the 11 digits of an RPPS number' })
  rpps?: string | null;
}

export class UpdateUserDto implements UpdateUserRequest {
  @ApiPropertyOptional() @IsOptionalNotNull() @IsString() @Length(1, 200) displayName?: string;
  @ApiPropertyOptional({ enum: USER_ROLES }) @IsOptionalNotNull() @IsIn(USER_ROLES) role?: UserRole;
  @ApiPropertyOptional() @IsOptionalNotNull() @IsBoolean() active?: boolean;

  @ApiPropertyOptional({ type: TerritoryDto })
  @IsOptionalNotNull()
  @ValidateNested()
  @Type(() => TerritoryDto)
  territory?: TerritoryDto;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @ValidateIf((_object, value) => value !== null)
  @Matches(/^\d{11}$/, { message: 'rpps must be the 11 digits of an RPPS number' })
  rpps?: string | null;
}

export class UserListQueryDto extends PageQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID('all', { message: 'organisationId must be a UUID' })
  organisationId?: string;
  @ApiPropertyOptional({ enum: USER_ROLES }) @IsOptional() @IsIn(USER_ROLES) role?: UserRole;
  @ApiPropertyOptional({ enum: ['true', 'false'] }) @IsOptional() @IsIn(['true', 'false']) active?:
    'true' | 'false';
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) search?: string;
}

export class PasswordResetRequestDto implements PasswordResetRequest {
  @ApiProperty() @IsString() @MaxLength(254) email!: string;
}

export class SetPasswordDto implements SetPasswordRequest {
  @ApiProperty() @IsString() @Length(16, 128) token!: string;
  @ApiProperty() @IsString() @MaxLength(1000) password!: string;
}

export class ChangePasswordDto {
  @ApiProperty() @IsString() @MaxLength(1000) currentPassword!: string;
  @ApiProperty() @IsString() @MaxLength(1000) newPassword!: string;
}
