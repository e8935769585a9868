import {
  detailFields as fields,
  signedBy,
  startTwoOrganisationsApi,
  stopTestApi,
  type TwoOrganisationsApi,
} from '../../testing/api-spec.js';
import { makeOrganisation, makeUser } from '../../testing/factories.js';
import { EVERY_DAY } from '../../testing/jest/paging-factories.js';
import { PagingService } from './paging.service.js';
import { onCallAt, readRota, rotaGaps } from './rota.js';

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';

describe('rota arithmetic', () => {
  const nights = { userId: A, weekdays: [1, 2, 3, 4, 5, 6, 7], start: '19:00', end: '08:00' };
  const days = { userId: B, weekdays: [1, 2, 3, 4, 5], start: '08:00', end: '19:00' };

  it('lists the gaps per weekday, overnight entries running into the next day', () => {
    expect(rotaGaps([nights, days])).toEqual([
      { weekday: 6, start: '08:00', end: '19:00' },
      { weekday: 7, start: '08:00', end: '19:00' },
    ]);
    expect(rotaGaps([])).toHaveLength(7);
    // Sunday night covers Monday 00:00–08:00 (the week wraps).
    expect(rotaGaps([{ ...nights, weekdays: [7] }])[0]).toEqual({ weekday: 1, start: '08:00', end: '24:00' });
  });

  it('finds who is on call at an instant, in the organisation’s zone, in paging order', () => {
    // Tuesday 3 March 2026 02:00 in Paris = 01:00Z: the night entry of Monday.
    expect(onCallAt([days, nights], new Date('2026-03-03T01:00:00Z'), 'Europe/Paris')).toEqual([nights]);
    // Tuesday 10:00 Paris: the day entry only.
    expect(onCallAt([days, nights], new Date('2026-03-03T09:00:00Z'), 'Europe/Paris')).toEqual([days]);
    const backup = { ...days, userId: A };
    expect(onCallAt([days, backup], new Date('2026-03-03T09:00:00Z'), 'Europe/Paris')).toEqual([
      days,
      backup,
    ]);
    // Saturday 10:00: nobody.
    expect(onCallAt([days, nights], new Date('2026-03-07T09:00:00Z'), 'Europe/Paris')).toEqual([]);
  });

  it('names every bad field of a rota body', () => {
    const { problems } = readRota({
      ackMinutes: 0,
      voice: 'yes',
      extra: 1,
      entries: [{ userId: 'x', weekdays: [0, 8], start: '25:00', end: '7:00', phone: 3 }, 'no'],
    });
    expect(problems.map((problem) => problem.field).sort()).toEqual(
      [
        'ackMinutes',
        'voice',
        'extra',
        'entries[0].userId',
        'entries[0].weekdays',
        'entries[0].start',
        'entries[0].end',
        'entries[0].phone',
        'entries[1]',
      ].sort(),
    );
    expect(
      readRota({
        entries: [{ userId: A, weekdays: [1], start: '08:00', end: '08:00', phone: '+33612345678' }],
      }).problems[0]?.field,
    ).toBe('entries[0].end');
  });
});

describe('on-call rota API (org admins)', () => {
  let { environment, api, dataSource, organisation, admin, professional, adminToken, token } =
    {} as TwoOrganisationsApi;

  beforeAll(
    async () =>
      ({ environment, api, dataSource, organisation, admin, professional, adminToken, token } =
        await startTwoOrganisationsApi()),
  );
  afterAll(() => stopTestApi({ environment, api }));
  const as = (bearer: string) => signedBy(api, bearer);

  it('stores the rota with the mobile encrypted, and says where the gaps are', async () => {
    const empty = await as(adminToken).get('/api/paging/rota').expect(200);
    expect(empty.body).toMatchObject({ ackMinutes: 10, voice: false, entries: [] });
    expect(empty.body.gaps).toHaveLength(7);

    // The nights come back as sent but for the mobile, stored in E.164; the days' weekdays come back sorted.
    const nights = { userId: professional.id, weekdays: EVERY_DAY, start: '19:00', end: '08:00' };
    const days = { userId: admin.id, start: '08:00', end: '19:00', phone: '+33698765432' };
    const put = await as(adminToken)
      .put('/api/paging/rota')
      .send({
        ackMinutes: 5,
        voice: true,
        entries: [
          { ...nights, phone: '06 12 34 56 78' },
          { ...days, weekdays: [5, 4, 3, 2, 1] },
        ],
      })
      .expect(200);
    expect(put.body).toEqual({
      ackMinutes: 5,
      voice: true,
      entries: [
        { ...nights, phone: '+33612345678' },
        { ...days, weekdays: [1, 2, 3, 4, 5] },
      ],
      gaps: [
        { weekday: 6, start: '08:00', end: '19:00' },
        { weekday: 7, start: '08:00', end: '19:00' },
      ],
    });
    const [stored] = await dataSource.query<Array<{ entries: unknown }>>(
      `SELECT entries FROM on_call_rotas WHERE organisation_id = $1`,
      [organisation.id],
    );
    expect(JSON.stringify(stored!.entries)).not.toContain('612345678');
    // Tuesday 02:00 in Paris: the night nurse.
    expect(
      await api
        .get(PagingService)
        .onCall({ organisationId: organisation.id }, new Date('2026-03-03T01:00:00Z')),
    ).toEqual([{ userId: professional.id, phone: '+33612345678' }]);
  });

  it('refuses a landline, a stranger and a bad delay with a 400 naming each field', async () => {
    const stranger = await makeUser(dataSource, { organisationId: (await makeOrganisation(dataSource)).id });
    const response = await as(adminToken)
      .put('/api/paging/rota')
      .send({
        ackMinutes: 500,
        entries: [
          { userId: professional.id, weekdays: [1], start: '08:00', end: '19:00', phone: '01 23 45 67 89' },
          { userId: stranger.id, weekdays: [1], start: '08:00', end: '19:00', phone: '+33612345678' },
        ],
      })
      .expect(400);
    expect(response.body.code).toBe('invalid_input');
    expect(fields(response.body)).toEqual(['ackMinutes']);
    const second = await as(adminToken)
      .put('/api/paging/rota')
      .send({
        entries: [
          { userId: professional.id, weekdays: [1], start: '08:00', end: '19:00', phone: '01 23 45 67 89' },
          { userId: stranger.id, weekdays: [1], start: '08:00', end: '19:00', phone: '+33612345678' },
        ],
      })
      .expect(400);
    expect(fields(second.body)).toEqual(['entries[0].phone', 'entries[1].userId']);
    expect(JSON.stringify(second.body)).not.toContain('23 45 67');
  });

  it('is for org admins only', async () => {
    await as(token).get('/api/paging/rota').expect(403);
    await as(token).put('/api/paging/rota').send({ entries: [] }).expect(403);
  });
});
