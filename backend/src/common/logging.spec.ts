import { redactUrl } from './logging.js';

describe('redactUrl: logged URLs carry no credential', () => {
  it('drops the stream ticket (and any query string) from the alert stream URL', () => {
    const ticket = 'Vx3n9k2LrQpZ8sT0aYbC4dEfGhIjKlMnOpQrStUvWxY';
    const logged = redactUrl(`/api/alerts/stream?ticket=${ticket}`);
    expect(logged).toBe('/api/alerts/stream');
    expect(logged).not.toContain(ticket);
    expect(redactUrl(`/api/alerts?page=1&ticket=${ticket}&access_token=x.y.z`)).toBe('/api/alerts');
  });

  it('keeps only the route shape of questionnaire links', () => {
    expect(redactUrl('/q/secret-token?x=1')).toBe('/q/:token');
    expect(redactUrl('/api/public/questionnaires/secret-token/answers')).toBe(
      '/api/public/questionnaires/:token/answers',
    );
  });
});
