// Demo data, once: two organisations in different départements, an admin and two professionals each, a regional
// coordinator, a platform admin and a few parents (through the real enrolment service: encrypted, scheduled).
// `npm start` runs it; it does nothing when organisations already exist. Never run it against production.
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { DateTime } from 'luxon';
import type { OrganisationKind, ParentRole, UserRole } from '@lien/shared';
import { ApiModule } from '../app.module.js';
import type { AuthUser } from '../common/auth/auth-user.js';
import { loadConfigOrExit, preflight, runOrExit, StartupError } from '../common/preflight.js';
import { OrganisationEntity } from '../modules/organisations/organisation.entity.js';
import { OrganisationsService } from '../modules/organisations/organisations.service.js';
import { ParentsService } from '../modules/parents/parents.service.js';
import { UsersService } from '../modules/users/users.service.js';
import { UserEntity } from '../modules/users/user.entity.js';

export const DEMO_PASSWORD = 'Lien-demo-2026!';

interface DemoOrganisation {
  key: string;
  name: string;
  kind: OrganisationKind;
  departement: string;
  smsSender: string;
  users: { email: string; displayName: string; role: UserRole }[];
  parents: {
    firstName: string;
    lastName: string;
    phone: string;
    role: ParentRole;
    bornDaysAgo: number | null;
    termInDays?: number;
    language: string;
  }[];
}

const ORGANISATIONS: DemoOrganisation[] = [
  {
    key: '62',
    name: 'PMI du Pas-de-Calais',
    kind: 'pmi',
    departement: '62',
    smsSender: 'Lien62',
    users: [
      { email: 'admin.62@lien.demo', displayName: 'Claire Lefebvre (admin)', role: 'org_admin' },
      {
        email: 'infirmiere.62@lien.demo',
        displayName: 'Sophie Martin (puéricultrice)',
        role: 'professional',
      },
      { email: 'sagefemme.62@lien.demo', displayName: 'Nadia Benali (sage-femme)', role: 'professional' },
    ],
    parents: [
      {
        firstName: 'Julie',
        lastName: 'Durand',
        phone: '06 12 34 56 01',
        role: 'mother',
        bornDaysAgo: 8,
        language: 'fr',
      },
      {
        firstName: 'Thomas',
        lastName: 'Durand',
        phone: '06 12 34 56 02',
        role: 'father',
        bornDaysAgo: 8,
        language: 'fr',
      },
      {
        firstName: 'Amina',
        lastName: 'Haddad',
        phone: '06 12 34 56 03',
        role: 'mother',
        bornDaysAgo: 3,
        language: 'fr',
      },
      {
        firstName: 'Emily',
        lastName: 'Clarke',
        phone: '06 12 34 56 04',
        role: 'mother',
        bornDaysAgo: 40,
        language: 'en',
      },
      {
        firstName: 'Léa',
        lastName: 'Petit',
        phone: '06 12 34 56 05',
        role: 'mother',
        bornDaysAgo: null,
        termInDays: 30,
        language: 'fr',
      },
    ],
  },
  {
    key: '57',
    name: 'Maternité de Metz',
    kind: 'maternity',
    departement: '57',
    smsSender: 'Lien57',
    users: [
      { email: 'admin.57@lien.demo', displayName: 'Marc Weber (admin)', role: 'org_admin' },
      { email: 'sagefemme.57@lien.demo', displayName: 'Isabelle Klein (sage-femme)', role: 'professional' },
      { email: 'psychologue.57@lien.demo', displayName: 'Paul Muller (psychologue)', role: 'professional' },
    ],
    parents: [
      {
        firstName: 'Camille',
        lastName: 'Schmitt',
        phone: '06 98 76 54 01',
        role: 'mother',
        bornDaysAgo: 9,
        language: 'fr',
      },
      {
        firstName: 'Sam',
        lastName: 'Roux',
        phone: '06 98 76 54 02',
        role: 'co_parent',
        bornDaysAgo: 12,
        language: 'fr',
      },
    ],
  },
];

const PLATFORM_USERS: {
  email: string;
  displayName: string;
  role: UserRole;
  departements: string[];
  region: string | null;
}[] = [
  {
    email: 'coordination.hdf@lien.demo',
    displayName: 'Coordination Hauts-de-France',
    role: 'coordinator',
    departements: [],
    region: 'Hauts-de-France',
  },
  {
    email: 'plateforme@lien.demo',
    displayName: 'Administration de la plateforme',
    role: 'platform_admin',
    departements: [],
    region: null,
  },
];

function loginsText(): string {
  const rows = [
    ...ORGANISATIONS.flatMap((organisation) =>
      organisation.users.map((user) => [user.email, user.role, organisation.name]),
    ),
    ...PLATFORM_USERS.map((user) => [user.email, user.role, user.region ?? 'all organisations']),
  ];
  const width = Math.max(...rows.map((row) => row[0]!.length));
  return [
    `  Demo logins (password: ${DEMO_PASSWORD})`,
    ...rows.map(([email, role, scope]) => `    ${email!.padEnd(width)}  ${role} — ${scope}`),
  ].join('\n');
}

await runOrExit(async () => {
  const config = loadConfigOrExit();
  if (config.nodeEnv === 'production')
    throw new StartupError('the demo seed never runs with NODE_ENV=production');
  await preflight(config);
  const logins = loginsText();
  const loginsFile = process.env.LIEN_DEMO_LOGINS_FILE ?? path.resolve('.data/demo-logins.txt');
  if (loginsFile) writeFileSync(loginsFile, `${logins}\n`);

  const app = await NestFactory.createApplicationContext(ApiModule.forRoot(config), { logger: ['error'] });
  try {
    const dataSource = app.get(DataSource);
    if ((await dataSource.getRepository(OrganisationEntity).count()) > 0) {
      const complete = await dataSource
        .getRepository(UserEntity)
        .existsBy({ email: PLATFORM_USERS[PLATFORM_USERS.length - 1]!.email });
      if (!complete)
        throw new StartupError(
          'an earlier demo seed stopped half-way: delete .data/ (or the database) and start again',
        );
      console.log('[lien] Demo data already present.');
      return;
    }
    const organisations = app.get(OrganisationsService);
    const parents = app.get(ParentsService);
    const users = app.get(UsersService);
    const system = { actorId: null, organisationId: null, ip: null, requestId: 'seed' };

    for (const demo of ORGANISATIONS) {
      const organisation = await organisations.create(
        {
          name: demo.name,
          kind: demo.kind,
          departement: demo.departement,
          smsSender: demo.smsSender,
          // Demo only: quiet hours open all day, every day, so that the demo journey works at any hour.
          settings: {
            quietHours: { start: '00:00', end: '23:59', noSundays: false, noPublicHolidays: false },
            contactPhone: '03 21 00 00 00',
          },
        },
        system,
      );
      const created = [];
      for (const user of demo.users) {
        created.push(
          await users.provision(
            { ...user, password: DEMO_PASSWORD, organisationId: organisation.id },
            system,
          ),
        );
      }
      const enroller = created.find((user) => user.role === 'professional')!;
      const actor: AuthUser = {
        id: enroller.id,
        role: enroller.role,
        organisationId: organisation.id,
        territory: { departements: [], region: null },
      };
      const today = DateTime.now().setZone(organisation.timeZone);
      for (const [index, parent] of demo.parents.entries()) {
        await parents.enrol(
          { organisationId: organisation.id },
          {
            firstName: parent.firstName,
            lastName: parent.lastName,
            phone: parent.phone,
            role: parent.role,
            language: parent.language,
            ...(parent.bornDaysAgo === null
              ? { expectedTermDate: today.plus({ days: parent.termInDays ?? 30 }).toISODate()! }
              : { birthDate: today.minus({ days: parent.bornDaysAgo }).toISODate()! }),
            referentUserId: created.filter((user) => user.role === 'professional')[index % 2]!.id,
            consent: { given: true, textVersion: '2026-01' },
          },
          actor,
          { actorId: enroller.id, organisationId: organisation.id, ip: null, requestId: 'seed' },
        );
      }
    }
    for (const user of PLATFORM_USERS) {
      await users.provision(
        {
          email: user.email,
          displayName: user.displayName,
          role: user.role,
          password: DEMO_PASSWORD,
          ...(user.role === 'coordinator'
            ? { territory: { departements: user.departements, region: user.region ?? undefined } }
            : {}),
        },
        system,
      );
    }
    console.log('[lien] Demo data created.');
  } finally {
    await app.close();
  }
});
