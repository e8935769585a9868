/**
 * The texts of the account e-mails (French then English). Each carries a one-time link; the caller writes the
 * token and queues the e-mail (`MailService.enqueue`) in its transaction.
 */
export interface MailText {
  subject: string;
  body: string;
}

/** A new account: choose a password (link valid 7 days). */
export function invitationMail(url: string): MailText {
  return {
    subject: 'Lien : activez votre compte / activate your account',
    body: [
      'Bonjour,',
      '',
      'Un compte Lien a été créé pour vous. Pour choisir votre mot de passe, ouvrez ce lien (valable 7 jours) :',
      url,
      '',
      'Hello,',
      '',
      'A Lien account was created for you. To choose your password, open this link (valid for 7 days):',
      url,
    ].join('\n'),
  };
}

/** A forgotten password: choose a new one (link valid 1 hour). */
export function passwordResetMail(url: string): MailText {
  return {
    subject: 'Lien : réinitialisation du mot de passe / password reset',
    body: [
      'Bonjour,',
      '',
      'Pour choisir un nouveau mot de passe, ouvrez ce lien (valable 1 heure) :',
      url,
      "Si vous n'avez rien demandé, ignorez ce message.",
      '',
      'Hello,',
      '',
      'To choose a new password, open this link (valid for 1 hour):',
      url,
      'If you did not ask for it, ignore this message.',
    ].join('\n'),
  };
}
