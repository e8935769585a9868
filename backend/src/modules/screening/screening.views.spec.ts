import { gzipSync } from 'node:zlib';
import { helpResources } from '@lien/shared';
import { parseHtml } from '../../testing/questionnaire-factories.js';
import { renderScreeningForm, renderScreeningResult } from './screening.views.js';

const resources = (item10Positive: boolean) =>
  helpResources('fr', { item10Positive, band: 'low' }, { contactPhone: null, localResources: [] });

describe('self-screening views', () => {
  it('labels every visible field, and escapes the source code in the form action', () => {
    const page = renderScreeningForm({ language: 'fr', sourceCode: '"><script>x</script>', stamp: 's.t' });
    expect(page.html).not.toContain('<script>x</script>');
    expect(page.html).toContain('action="/depistage/%22%3E%3Cscript%3Ex%3C%2Fscript%3E"');
    const dom = parseHtml(page.html);
    for (const input of dom.$$('input')) {
      if (input.attrs.type === 'hidden') continue;
      const labelled =
        (input.attrs.id && dom.$(`label[for="${input.attrs.id}"]`)) || input.parent?.tag === 'label';
      expect({ name: input.attrs.name, labelled: Boolean(labelled) }).toEqual({
        name: input.attrs.name,
        labelled: true,
      });
    }
    // The honeypot is out of sight, of the tab order and of the accessibility tree.
    const trap = dom.$('input[name="website"]')!;
    expect(trap.attrs.tabindex).toBe('-1');
    expect(trap.parent?.attrs['aria-hidden']).toBe('true');
  });

  it('names each problem in the summary, linked to its field', () => {
    const page = renderScreeningForm({
      language: 'en',
      sourceCode: null,
      stamp: 's.t',
      errors: { missing: [3], role: true, childAge: true, postalCode: true, unexpected: false },
    });
    expect(page.status).toBe(400);
    const links = parseHtml(page.html)
      .$$('#errors a')
      .map((link) => link.attrs.href);
    expect(links).toEqual(['#role-0', '#age', '#cp', '#q3-0']);
  });

  it('puts emergency numbers first when item 10 is positive, with the contact form, under 20 kB compressed', () => {
    const page = renderScreeningResult({
      language: 'fr',
      band: 'low',
      item10Positive: true,
      resources: resources(true),
      contact: { stamp: 's.t' },
    });
    const dom = parseHtml(page.html);
    expect(dom.$('.res li')?.attrs.class).toBe('u');
    expect(dom.$('form[action="/depistage/contact"]')).not.toBeNull();
    expect(gzipSync(page.html).length).toBeLessThan(20 * 1024);
    const calm = renderScreeningResult({
      language: 'fr',
      band: 'low',
      item10Positive: false,
      resources: resources(false),
      contact: null,
    });
    expect(parseHtml(calm.html).$('.res li')?.attrs.class).toBeUndefined();
    expect(calm.html).not.toContain('/depistage/contact');
  });
});
