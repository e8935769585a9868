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
import { TextField } from '../../../common/api-fields.js';

export class LoginDto implements LoginRequest {
  @TextField({ example: 'admin@pmi62.lien.test', max: 254 }) email!: string;
  @TextField({ max: 1000 }) password!: string;
  @TextField({ optional: true, example: '123456', max: 12 }) totp?: string;
}

export class RefreshDto implements RefreshRequest {
  @TextField({ min: 1, max: 200 }) refreshToken!: string;
}

export class LogoutDto implements LogoutRequest {
  @TextField({ min: 1, max: 200 }) refreshToken!: string;
}

export class TotpCodeDto implements TotpConfirmRequest, TotpDisableRequest {
  @TextField({ example: '123456', max: 12 }) code!: string;
}

export class TotpEnrolmentSetupDto implements TotpEnrolmentSetupRequest {
  @TextField({ min: 1, max: 200 }) enrolmentToken!: string;
}

export class TotpEnrolmentConfirmDto implements TotpEnrolmentConfirmRequest {
  @TextField({ min: 1, max: 200 }) enrolmentToken!: string;
  @TextField({ example: '123456', max: 12 }) code!: string;
}

export class OidcExchangeDto implements OidcExchangeRequest {
  @TextField({
    description: 'The one-time code of the OIDC callback (console URL fragment)',
    min: 1,
    max: 200,
  })
  code!: string;

  @TextField({ optional: true, example: '123456', max: 12 }) totp?: string;
}
