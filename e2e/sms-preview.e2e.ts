import { animationsDone, axeViolations, screenshot } from './support/browser.js';
import { apiCaller, enrolParent, sentSms, signedIn, useStackAndBrowser } from './support/console.js';

// Issue 19, settings: the SMS preview on the settings page is exactly the text that will be sent (one function,
// `smsText` of @lien/shared, builds both). An organisation admin edits the day-7 SMS (the invitation template)
// in Chromium at 1280 px, reads the preview and saves; a parent born eight days ago is enrolled, her day-7 SMS
// goes out at once, and the built-in outbox holds the preview's text. The preview shows a sample link of the
// real length (`<origin>/q/` and 22 "x"), the sent SMS the parent's own link: they are compared with the link
// replaced, and the sent link is checked on its own.
const world = useStackAndBrowser();
const api = apiCaller(() => world.stack.baseUrl);

const TEMPLATE =
  'Bonjour de la part de {organisation} ! Quelques questions pour savoir comment vous allez : {link}';

it('previews on the settings page exactly the day-7 SMS that is then sent, axe clean', async () => {
  const page = await signedIn(world, 'admin.62@lien.demo');
  try {
    await page.goto(`${world.stack.baseUrl}/admin/settings`);
    const editor = page.getByTestId('sms-template-fr-invitation');
    await editor.waitFor();
    await editor.fill(TEMPLATE);
    const preview = page.getByTestId('sms-template-fr-invitation-preview');
    await page.waitForFunction(
      () =>
        document
          .querySelector('[data-testid="sms-template-fr-invitation-preview"]')
          ?.textContent?.startsWith('Bonjour de la part de') === true,
    );
    const previewText = (await preview.textContent())!.trim();
    const sampleLink = `${world.stack.baseUrl}/q/${'x'.repeat(22)}`;
    // The organisation named without its health word ("PMI"), the sample link in place of {link}.
    expect(previewText).not.toMatch(/\{organisation\}|\{link\}|PMI/);
    expect(previewText.endsWith(` : ${sampleLink}`)).toBe(true);

    await animationsDone(page);
    await screenshot(page, 'sms-preview-settings-1280');
    expect(await axeViolations(page)).toEqual([]);

    await page.getByTestId('settings-save').click();
    await page.getByTestId('settings-status').filter({ hasText: 'Paramètres enregistrés.' }).waitFor();

    // The day-7 SMS of a parent born eight days ago goes out at once.
    const professional = await api.logIn('infirmiere.62@lien.demo');
    const parentId = await enrolParent(api, professional, {
      lastName: 'Apercu',
      phone: '06 41 22 33 19',
      daysSinceBirth: 8,
    });
    const sms = await sentSms(api, professional, parentId);
    expect(sms.kind).toBe('invitation');
    expect(sms.link).toMatch(new RegExp(`^${world.stack.baseUrl}/q/[A-Za-z0-9_-]{22}$`));
    // Identical to the preview but for the link itself (the preview's is a sample of the same length).
    expect(sms.body.replace(sms.link, sampleLink)).toBe(previewText);
    expect(sms.body.length).toBe(previewText.length);
  } finally {
    await page.context().close();
  }
});
