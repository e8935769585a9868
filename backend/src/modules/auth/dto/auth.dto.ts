import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length, MaxLength } from 'class-validator';
import type {
  LoginRequest,
  LogoutRequest,
  OidcExchangeRequest,
  RefreshRequest,
  TotpConfirmRequest,
  TotpDisableRequest,
  TotpEnrolmentConfirmRequest,
  TotpEnrolmentSetupRequest,
} from '@lien/shared';

export class LoginDto implements LoginRequest {
  @ApiProperty({ example: 'admin@pmi62.lien.test' }) @IsString() @MaxLength(254) email!: string;
  @ApiProperty() @IsString() @MaxLength(1000) password!: string;
  @ApiPropertyOptional({ example: '123456' }) @IsOptional() @IsString() @MaxLength(12) totp?: string;
}

export class RefreshDto implements RefreshRequest {
  @ApiProperty() @IsString() @Length(1, 200) refreshToken!: string;
}

export class LogoutDto implements LogoutRequest {
  @ApiProperty() @IsString() @Length(1, 200) refreshToken!: string;
}

export class TotpCodeDto implements TotpConfirmRequest, TotpDisableRequest {
  @ApiProperty({ example: '123456' }) @IsString() @MaxLength(12) code!: string;
}

export class TotpEnrolmentSetupDto implements TotpEnrolmentSetupRequest {
  @ApiProperty() @IsString() @Length(1, 200) enrolmentToken!: string;
}

export class TotpEnrolmentConfirmDto implements TotpEnrolmentConfirmRequest {
  @ApiProperty() @IsString() @Length(1, 200) enrolmentToken!: string;
  @ApiProperty({ example: '123456' }) @IsString() @MaxLength(12) code!: string;
}

export class OidcExchangeDto implements OidcExchangeRequest {
  @ApiProperty({ description: 'The one-time code of the OIDC callback (console URL fragment)' })
  @IsString()
  @Length(1, 200)
  code!: string;
  @ApiPropertyOptional({ example: '123456' }) @IsOptional() @IsString() @MaxLength(12) totp?: string;
}
