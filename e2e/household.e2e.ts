import { axeViolations, horizontalOverflow, screenshot } from './support/browser.js';
import { fillBirthDate, fillEnrolmentParent, signedIn, useStackAndBrowser } from './support/console.js';

// A household enrolled in one step from the console (mother and co-parent, each with their own phone, language
// and consent), then each parent's page showing the other: in Chromium, at 1280 px and on a 390-px phone, with
// no axe-core violation and no sideways scroll.
const world = useStackAndBrowser();

for (const [width, phones] of [
  [1280, ['06 31 22 33 01', '07 81 22 33 02']],
  [390, ['06 31 22 33 03', '07 81 22 33 04']],
] as const) {
  it(`at ${width} px: enrols a mother and a co-parent together and shows both on the parent page, axe clean`, async () => {
    const page = await signedIn(world, 'infirmiere.62@lien.demo', { width });
    const lastName = width === 1280 ? 'Foyer-Large' : 'Foyer-Mobile';
    await page.goto(`${world.stack.baseUrl}/parents/new`);
    await page.getByTestId('enrol-form').waitFor();

    await fillEnrolmentParent(page, 'enrol', {
      firstName: 'Amandine',
      lastName,
      phone: phones[0],
      role: 'mother',
    });
    await fillBirthDate(page, new Date(Date.now() - 3 * 24 * 3600 * 1000).toISOString().slice(0, 10));
    await page.getByTestId('enrol-consent').locator('input').check();

    await page.getByTestId('enrol-with-other').locator('input').check();
    await page.getByTestId('enrol-other').waitFor();
    await fillEnrolmentParent(page, 'other', {
      firstName: 'Camille',
      lastName,
      phone: phones[1],
      role: 'co_parent',
    });
    await page.getByTestId('other-language').click();
    await page.locator('mat-option[lang="en"]').click();
    await page.getByTestId('other-consent').locator('input').check();
    // The same fieldset for both parents: the same fields, each with its own values.
    expect(await page.getByTestId('enrol-other').innerText()).toContain('Sera enregistré comme +33781223');
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await screenshot(page, `household-enrol-${width}`);
    expect(await axeViolations(page)).toEqual([]);

    await page.getByTestId('enrol-submit').click();
    await page.waitForURL(/\/parents\/[0-9a-f-]{36}$/);
    await page.getByTestId('parent-title').waitFor();
    expect(await page.getByTestId('parent-title').innerText()).toBe(`Amandine ${lastName}`);
    const member = page.getByTestId('household-member');
    await member.waitFor();
    expect(await member.count()).toBe(1);
    expect(await member.innerText()).toContain(`Camille ${lastName}`);
    expect(await member.innerText()).toContain('Coparent');
    // The page's history: the enrolment by the professional, both waves planned (apart), no answer yet.
    await page.getByTestId('parent-history').waitFor();
    expect(await page.getByTestId('history-entry').first().innerText()).toContain('Inscription');
    expect(await page.getByTestId('planned-sms').count()).toBeGreaterThanOrEqual(1);
    expect(await page.getByTestId('trend-empty').isVisible()).toBe(true);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await screenshot(page, `household-parent-${width}`);
    expect(await axeViolations(page)).toEqual([]);

    // The co-parent's own page names the mother: each parent sees the other, not their answers.
    await member.getByRole('link').click();
    await page.waitForFunction(
      (name) => document.querySelector('[data-testid="parent-title"]')?.textContent?.trim() === name,
      `Camille ${lastName}`,
    );
    await page.getByTestId('household-member').waitFor();
    expect(await page.getByTestId('household-member').innerText()).toContain(`Amandine ${lastName}`);
    expect(await page.getByTestId('household').innerText()).toContain(
      'Les réponses de chaque parent restent les siennes',
    );
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await screenshot(page, `household-other-parent-${width}`);
    expect(await axeViolations(page)).toEqual([]);
    await page.context().close();
  });
}
