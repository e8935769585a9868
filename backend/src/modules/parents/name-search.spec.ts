import type { ApiError, ParentDetail, ParentListResponse } from '@lien/shared';
import { FieldEncryption } from '../../common/crypto/field-encryption.service.js';
import { ParentNamePrefixesBackfill } from './name-prefixes-backfill.service.js';
import { namePrefixes, prefixIndex } from './name-prefixes.js';
import { signedBy, stopTestApi } from '../../testing/api-spec.js';
import { enrolParent, mobileSequence, startParentsApi, type ParentsApi } from '../../testing/parents-api.js';
import { enrolmentBody } from '../../testing/parents-factories.js';

describe('partial name search through keyed prefix indexes (real Postgres)', () => {
  let { environment, api: app, dataSource, world } = {} as ParentsApi;
  const nextPhone = mobileSequence('06 45');

  beforeAll(async () => ({ environment, api: app, dataSource, world } = await startParentsApi()));
  afterAll(() => stopTestApi({ environment, api: app }));

  const enrol = (firstName: string, lastName: string, bearer = world.token): Promise<ParentDetail> =>
    enrolParent(app, bearer, enrolmentBody(firstName, lastName, nextPhone()));
  const search = async (q: string, bearer = world.token, query = ''): Promise<ParentListResponse> =>
    (
      await signedBy(app, bearer)
        .get(`/api/parents?q=${encodeURIComponent(q)}${query}`)
        .expect(200)
    ).body as ParentListResponse;
  const ids = (list: ParentListResponse): string[] => list.items.map((item) => item.id).sort();

  it('finds "Dup" → Dupont and Dupré (any case or accent, first or last name, any word), never a middle part', async () => {
    const dupont = await enrol('Inès', 'Dupont');
    const dupre = await enrol('Zoé', 'Dupré');
    const compound = await enrol('Marie-Claire', 'De La Tour');
    await enrol('Paul', 'Martin');

    expect(ids(await search('Dup'))).toEqual([dupont.id, dupre.id].sort());
    expect(ids(await search('DUPR'))).toEqual([dupre.id]);
    expect(ids(await search('dupre'))).toEqual([dupre.id]);
    expect(ids(await search('ine'))).toEqual([dupont.id]);
    expect(ids(await search('tour'))).toEqual([compound.id]);
    expect(ids(await search('clai'))).toEqual([compound.id]);
    expect(ids(await search('de la t'))).toEqual([compound.id]);
    expect((await search('upon')).total).toBe(0);
  });

  it('stays within the organisation: another organisation’s Dupont is not found, nor ours by them', async () => {
    const ours = await enrol('Léa', 'Duponchel');
    const theirs = await enrol('Léa', 'Duponchel', world.otherToken);
    expect(ids(await search('Duponc'))).toEqual([ours.id]);
    expect(ids(await search('Duponc', world.otherToken))).toEqual([theirs.id]);
    // The same prefix gives unrelated index values in two organisations: nothing links the two rows.
    const rows = await dataSource.query<Array<{ name_prefixes: string[] }>>(
      `SELECT name_prefixes FROM parents WHERE id = ANY($1::uuid[])`,
      [[ours.id, theirs.id]],
    );
    const [a, b] = rows.map((row) => new Set(row.name_prefixes));
    expect(a!.size).toBeGreaterThan(5);
    expect([...a!].filter((value) => b!.has(value))).toEqual([]);
  });

  it('pages the matches like the list: newest first, total over every page', async () => {
    const made = [];
    for (const first of ['Aude', 'Alix', 'Anne']) made.push(await enrol(first, 'Pagination'));
    const first = await search('pagin', world.token, '&pageSize=2&page=1');
    const second = await search('pagin', world.token, '&pageSize=2&page=2');
    expect(first).toMatchObject({ total: 3, page: 1, pageSize: 2 });
    expect(first.items.map((item) => item.firstName)).toEqual(['Anne', 'Alix']);
    expect(second.items.map((item) => item.firstName)).toEqual(['Aude']);
  });

  it('follows a rename: the new name’s prefixes find the parent, the old one’s no longer do', async () => {
    const parent = await enrol('Nora', 'Renommée');
    expect(ids(await search('Renom'))).toEqual([parent.id]);
    await signedBy(app, world.token)
      .patch(`/api/parents/${parent.id}`)
      .send({ lastName: 'Quintal' })
      .expect(200);
    expect((await search('Renom')).total).toBe(0);
    expect(ids(await search('Quin'))).toEqual([parent.id]);
    // The first name, unchanged, is still indexed.
    expect(ids(await search('Nor'))).toContain(parent.id);
  });

  it('refuses a one-letter name search with a 400 naming q (a phone search is not a name)', async () => {
    const response = await signedBy(app, world.token).get('/api/parents?q=D').expect(400);
    const body = response.body as ApiError;
    expect(body.details).toEqual([
      { field: 'q', message: 'q must have at least 2 letters to search by name' },
    ]);
    expect(JSON.stringify(body)).not.toMatch(/stack|at \//);
    await signedBy(app, world.token)
      .get(`/api/parents?q=${encodeURIComponent('é ')}`)
      .expect(400);
  });

  it('backfills parents enrolled before prefix search (null indexes) so that they are found too', async () => {
    const parent = await enrol('Oriane', 'Ancienne');
    await dataSource.query(`UPDATE parents SET name_prefixes = NULL WHERE id = $1`, [parent.id]);
    expect((await search('Ancien')).total).toBe(0);
    expect(await app.get(ParentNamePrefixesBackfill).run()).toBeGreaterThanOrEqual(1);
    expect(ids(await search('Ancien'))).toEqual([parent.id]);
    // The stored values are the keyed HMACs of the folded prefixes, never the prefixes themselves.
    const [row] = await dataSource.query<Array<{ name_prefixes: string[] }>>(
      `SELECT name_prefixes FROM parents WHERE id = $1`,
      [parent.id],
    );
    const encryption = app.get(FieldEncryption);
    const expected = [...namePrefixes('Ancienne'), ...namePrefixes('Oriane')].map((prefix) =>
      prefixIndex((value) => encryption.blindIndex(value), world.organisation.id, prefix),
    );
    expect([...row!.name_prefixes].sort()).toEqual([...new Set(expected)].sort());
    expect(row!.name_prefixes.join(' ')).not.toMatch(/anc|ori/i);
    expect(await app.get(ParentNamePrefixesBackfill).run()).toBe(0);
  });
});
