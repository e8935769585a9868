import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { startTestApi, stopTestApi, type TestApi } from '../testing/api-spec.js';

/**
 * With the console served by the API (`npm start`), a browser asking for the server's own pages gets them, not
 * the console's index.html: the parents' pages (/q, /depistage and its widget), FHIR and the API.
 */
describe('the served console never hides the server’s own pages', () => {
  let { environment, api: app } = {} as TestApi;
  let consoleDir: string;

  beforeAll(async () => {
    consoleDir = mkdtempSync(path.join(tmpdir(), 'lien-console-'));
    writeFileSync(path.join(consoleDir, 'index.html'), '<!doctype html><title>console</title>');
    ({ environment, api: app } = await startTestApi({ CONSOLE_DIR: consoleDir }));
  });
  afterAll(async () => {
    await stopTestApi({ environment, api: app });
    rmSync(consoleDir, { recursive: true, force: true });
  });

  it.each(['/depistage', '/depistage/maternite-arras', '/depistage?embed=1', '/q/not-a-real-token'])(
    '%s is the server’s page for a browser',
    async (pagePath) => {
      const reply = await request(app.getHttpServer())
        .get(pagePath)
        .set('Accept', 'text/html,application/xhtml+xml,*/*;q=0.8');
      expect(reply.text).not.toContain('<title>console</title>');
      expect(reply.headers['content-type']).toMatch(/^text\/html/);
    },
  );

  it('a client that accepts anything (curl, browsers) gets FHIR, not the console page', async () => {
    for (const accept of ['*/*', 'text/html,*/*;q=0.8']) {
      const reply = await request(app.getHttpServer())
        .get('/fhir/metadata')
        .set('Accept', accept)
        .expect(200);
      expect(reply.headers['content-type']).toMatch(/^application\/fhir\+json/);
      const missing = await request(app.getHttpServer())
        .get('/fhir/Encounter')
        .set('Accept', accept)
        .expect(404);
      expect(missing.body).toMatchObject({ resourceType: 'OperationOutcome' });
    }
  });

  it('the console’s own deep links still fall back to it', async () => {
    const page = await request(app.getHttpServer()).get('/alerts').set('Accept', 'text/html').expect(200);
    expect(page.text).toContain('<title>console</title>');
  });
});
