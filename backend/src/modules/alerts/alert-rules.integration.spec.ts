import { getEpdsInstrument, type ParentRole } from '@lien/shared';
import { queue } from '../../testing/test-app.js';
import { makeOrganisation, makeUser } from '../../testing/factories.js';
import { answersForPoints, mailText, pointsFor, stopMailStack } from '../../testing/alerts-factories.js';
import { answerAsParent, startOnCallMailStack, type OnCallMailStack } from '../../testing/alerts-spec.js';
import type { ParentEntity } from '../parents/parent.entity.js';
import { ResponseEntity } from '../questionnaire/response.entity.js';
import { AuditEventEntity } from '../audit/audit-event.entity.js';
import { AlertEntity } from './alert.entity.js';
import { AlertRulesService } from './alert-rules.service.js';
import { FollowUpEventEntity } from './follow-up-event.entity.js';

describe('alert rules on stored responses (real Postgres, Redis, SMTP)', () => {
  let { smtp, environment, api, worker, dataSource, organisation, referent } = {} as OnCallMailStack;

  beforeAll(
    async () =>
      ({ smtp, environment, api, worker, dataSource, organisation, referent } = await startOnCallMailStack()),
  );

  afterAll(() => stopMailStack({ smtp, environment, api, worker }));

  /** A `role` parent of the organisation's referent answering `points`, or `parent` answering again. */
  const answer = (role: ParentRole, points: number[], parent?: ParentEntity) =>
    answerAsParent(
      api,
      organisation,
      answersForPoints(points),
      parent ?? { role, referentUserId: referent.id },
    );

  describe.each([
    { role: 'mother' as const, moderate: 11, high: 13 },
    { role: 'father' as const, moderate: 10, high: 12 },
    { role: 'co_parent' as const, moderate: 10, high: 12 },
  ])('$role thresholds (moderate $moderate, high $high)', ({ role, moderate, high }) => {
    it(`no alert just below ${moderate}`, async () => {
      const { response, alert } = await answer(role, pointsFor(moderate - 1));
      expect(response.band).toBe('low');
      expect(alert).toBeNull();
      expect(
        (await dataSource.getRepository(ResponseEntity).findOneByOrFail({ id: response.id })).alertId,
      ).toBeNull();
    });
    it(`moderate at ${moderate} and just below ${high}`, async () => {
      for (const total of [moderate, high - 1]) {
        const { response, alert } = await answer(role, pointsFor(total));
        expect(alert).toMatchObject({
          severity: 'moderate',
          severityRank: 2,
          reasons: ['moderate_score'],
          status: 'open',
          assigneeId: referent.id,
        });
        expect(
          (await dataSource.getRepository(ResponseEntity).findOneByOrFail({ id: response.id })).alertId,
        ).toBe(alert!.id);
      }
    });
    it(`high at ${high}`, async () => {
      const { alert } = await answer(role, pointsFor(high));
      expect(alert).toMatchObject({ severity: 'high', severityRank: 1, reasons: ['high_score'] });
    });
  });

  const item10Options = getEpdsInstrument('fr').items[9]!.options.map((option, index) => ({
    index,
    points: option.points,
    text: option.text,
  }));

  it.each(item10Options)('item 10 option $index ("$text", $points points)', async ({ index, points }) => {
    const sent = smtp.received.length;
    const answers = answersForPoints(pointsFor(0));
    answers[9] = index;
    const { alert } = await answerAsParent(api, organisation, answers, { referentUserId: referent.id });
    if (points === 0) {
      expect(alert).toBeNull();
      return;
    }
    expect(alert).toMatchObject({ severity: 'urgent', severityRank: 0, reasons: ['item10'] });
    // 4 h to acknowledge and to contact (defaults)
    expect(alert!.acknowledgeDueAt.getTime() - environment.clock.now().getTime()).toBe(4 * 3_600_000);
    const mails = await smtp.waitFor(sent + 2);
    const ours = mails.slice(sent).filter((mail) => mailText(mail).includes(alert!.id));
    expect(ours.flatMap((mail) => mail.to).sort()).toEqual(['astreinte@pmi62.test', 'referente@pmi62.test']);
  });

  it('anxiety subscale >= 5 alone is moderate', async () => {
    const { response, alert } = await answer('mother', pointsFor(5, { 3: 2, 4: 2, 5: 1 }));
    expect(response).toMatchObject({ band: 'low', anxietyFlag: true, anxietyScore: 5 });
    expect(alert).toMatchObject({ severity: 'moderate', reasons: ['anxiety'] });
  });

  it('uses the organisation thresholds the response was scored with', async () => {
    const strict = await makeOrganisation(dataSource, {
      name: 'Maternité stricte',
      settings: {
        thresholds: {
          mother: { moderate: 8, high: 9 },
          father: { moderate: 10, high: 12 },
          co_parent: { moderate: 10, high: 12 },
        },
      },
    });
    const { alert } = await answerAsParent(api, strict, answersForPoints(pointsFor(9)));
    expect(alert).toMatchObject({
      severity: 'high',
      organisationId: strict.id,
      assigneeId: null,
    });
  });

  it('merges into one open alert: severity only rises, reasons accumulate, responses link, deadlines tighten', async () => {
    const { parent, alert: first } = await answer('mother', pointsFor(11));
    expect(first).toMatchObject({ severity: 'moderate' });
    const moderateContactDue = first!.contactDueAt;

    environment.clock.advance(3_600_000);
    const { alert: second } = await answer('mother', pointsFor(14), parent);
    expect(second!.id).toBe(first!.id);
    expect(second).toMatchObject({
      severity: 'high',
      severityRank: 1,
      reasons: ['moderate_score', 'high_score'],
    });
    expect(second!.contactDueAt.getTime()).toBeLessThan(moderateContactDue.getTime());

    environment.clock.advance(3_600_000);
    const { response: third, alert: afterModerate } = await answer(
      'mother',
      pointsFor(12, { 3: 3, 4: 2 }),
      parent,
    );
    expect(afterModerate).toMatchObject({
      id: first!.id,
      severity: 'high',
      reasons: ['moderate_score', 'high_score', 'anxiety'],
    });
    expect(afterModerate!.contactDueAt.getTime()).toBe(second!.contactDueAt.getTime());
    expect(third.alertId).toBe(first!.id);

    environment.clock.advance(3_600_000);
    const sent = smtp.received.length;
    const { alert: urgent } = await answer('mother', pointsFor(3, { 10: 1 }), parent);
    expect(urgent).toMatchObject({ id: first!.id, severity: 'urgent', severityRank: 0 });
    expect(urgent!.reasons).toEqual(['moderate_score', 'high_score', 'anxiety', 'item10']);
    const mails = await smtp.waitFor(sent + 2);
    expect(mails.slice(sent).every((mail) => mailText(mail).includes(first!.id))).toBe(true);

    // A low answer without flags changes nothing.
    const { response: calm } = await answer('mother', pointsFor(3), parent);
    expect(
      (await dataSource.getRepository(ResponseEntity).findOneByOrFail({ id: calm.id })).alertId,
    ).toBeNull();

    expect(await dataSource.getRepository(AlertEntity).countBy({ parentId: parent.id })).toBe(1);
    expect(await dataSource.getRepository(ResponseEntity).countBy({ alertId: first!.id })).toBe(4);
    const events = await dataSource
      .getRepository(FollowUpEventEntity)
      .find({ where: { alertId: first!.id }, order: { createdAt: 'ASC' } });
    expect(events.map((event) => event.type)).toEqual([
      'created',
      'severity_raised',
      'response_added',
      'severity_raised',
    ]);
    expect(events[1]!.payload).toMatchObject({ from: 'moderate', to: 'high' });
    expect(events[3]!.payload).toMatchObject({ from: 'high', to: 'urgent' });
    const audits = await dataSource.getRepository(AuditEventEntity).findBy({ targetId: first!.id });
    expect(audits.map((audit) => audit.action).sort()).toEqual([
      'alert.create',
      'alert.merge',
      'alert.severity_raise',
      'alert.severity_raise',
    ]);
  });

  it('a new alert opens once the previous one is closed', async () => {
    const { parent, alert } = await answer('father', pointsFor(10));
    await dataSource
      .getRepository(AlertEntity)
      .update(
        { id: alert!.id },
        { status: 'closed', closedAt: environment.clock.now(), outcome: 'false_alarm' },
      );
    const { alert: next } = await answer('father', pointsFor(12), parent);
    expect(next!.id).not.toBe(alert!.id);
    expect(next).toMatchObject({ severity: 'high', status: 'open' });
  });

  it('sends urgent emails with no health data and no name, only the console link', async () => {
    const sent = smtp.received.length;
    const answered = await answerAsParent(api, organisation, answersForPoints(pointsFor(23, { 10: 3 })), {
      referentUserId: referent.id,
      firstName: 'Héloïse',
      lastName: 'Dupont-Verdier',
    });
    const alert = answered.alert!;
    const mails = (await smtp.waitFor(sent + 2)).slice(sent);
    expect(mails.flatMap((mail) => mail.to).sort()).toEqual(['astreinte@pmi62.test', 'referente@pmi62.test']);
    for (const mail of mails) {
      const text = mailText(mail);
      expect(text).toContain('Lien : une alerte urgente vous attend');
      expect(text).toContain('Une alerte urgente vous attend dans Lien');
      expect(text).toContain(`http://lien.test/alerts/${alert.id}`);
      // Outside the link (whose uuid may contain any digits), not even the score.
      const withoutLink = text.replace(`http://lien.test/alerts/${alert.id}`, '');
      for (const forbidden of [
        'Héloïse',
        'Heloise',
        'Dupont',
        'EPDS',
        'score',
        'dépression',
        'depression',
        'suicide',
        '23',
        'item',
      ]) {
        expect(withoutLink.toLowerCase()).not.toContain(forbidden.toLowerCase());
      }
    }
  });

  it('a mistyped on-call address never blocks storing the answer: the referent is still emailed', async () => {
    const sloppy = await makeOrganisation(dataSource, {
      name: 'PMI distraite',
      settings: { onCallEmail: 'astreinte at pmi' },
    });
    const pro = await makeUser(dataSource, { organisationId: sloppy.id, email: 'pro@distraite.test' });
    const answers = answersForPoints(pointsFor(0));
    answers[9] = 0;
    const sent = smtp.received.length;
    const { alert } = await answerAsParent(api, sloppy, answers, { referentUserId: pro.id });
    expect(alert).toMatchObject({ severity: 'urgent' });
    await smtp.waitFor(sent + 1);
    expect(
      smtp.received
        .slice(sent)
        .filter((mail) => mailText(mail).includes(alert!.id))
        .flatMap((mail) => mail.to),
    ).toEqual(['pro@distraite.test']);
  });

  it('queues the deadline jobs after commit, with deterministic ids', async () => {
    const { alert } = await answer('mother', pointsFor(13));
    const jobs = await queue(api, 'alerts').getDelayed();
    const ids = jobs
      .filter((job) => job.data.alertId === alert!.id)
      .map((job) => job.id)
      .sort();
    expect(ids).toEqual(
      [
        `alert-${alert!.id}-${alert!.acknowledgeDueAt.getTime()}`,
        `alert-${alert!.id}-${alert!.contactDueAt.getTime()}`,
      ].sort(),
    );
  });

  it('refuses a response, parent and organisation that do not belong together', async () => {
    const other = await makeOrganisation(dataSource, { name: 'Autre' });
    const { parent, response } = await answerAsParent(api, organisation, answersForPoints(pointsFor(2)));
    await expect(
      dataSource.transaction((manager) =>
        api.get(AlertRulesService).onResponse(other, manager, response, parent),
      ),
    ).rejects.toThrow(/do not belong together/);
  });
});
