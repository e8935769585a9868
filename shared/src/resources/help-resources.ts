import type { EpdsBand } from '../statuses.js';
import type { EpdsLanguage } from '../epds/types.js';
import type { LocalResource } from '../organisation-settings.js';

/** Help shown to the parent after answering (brief "Result page"). */

export type HelpResourceKind = 'emergency' | 'national' | 'organisation' | 'local';

export interface HelpResource {
  kind: HelpResourceKind;
  name: string;
  /** As dialled in France, spaces allowed ("0 805 382 300"); see telUri. */
  phone?: string;
  url?: string;
  description: string;
}

/** The organisation's part, as in OrganisationSettings (plus its name when the page knows it). */
export interface OrganisationHelpResources {
  contactPhone: string | null;
  localResources: readonly LocalResource[];
  organisationName?: string;
}

export interface HelpResourceResult {
  item10Positive: boolean;
  band: EpdsBand;
}

interface ResourceText {
  suicidePrevention: HelpResource;
  samu: HelpResource;
  europeanEmergency: HelpResource;
  parentsInCrisis: HelpResource;
  mamanBlues: HelpResource;
  organisationName: string;
  organisationDescription: string;
}

const RESOURCE_TEXT: Readonly<Record<EpdsLanguage, ResourceText>> = {
  fr: {
    suicidePrevention: {
      kind: 'emergency',
      name: '3114, numéro national de prévention du suicide',
      phone: '3114',
      url: 'https://3114.fr',
      description: 'Gratuit, 24 h/24 et 7 j/7. Pour vous, ou si vous êtes inquiet pour un proche.',
    },
    samu: {
      kind: 'emergency',
      name: 'SAMU',
      phone: '15',
      description: 'Urgence médicale, 24 h/24.',
    },
    europeanEmergency: {
      kind: 'emergency',
      name: 'Numéro d’urgence européen',
      phone: '112',
      description: 'Urgence, depuis n’importe quel téléphone.',
    },
    parentsInCrisis: {
      kind: 'national',
      name: 'Allô Parents en crise',
      phone: '0 805 382 300',
      description: 'Ligne d’écoute gratuite pour les parents qui se sentent dépassés ou épuisés.',
    },
    mamanBlues: {
      kind: 'national',
      name: 'Maman Blues',
      url: 'https://www.maman-blues.fr',
      description:
        'Association de parents qui ont vécu une période difficile autour d’une naissance : témoignages, écoute et conseils.',
    },
    organisationName: 'Votre équipe de suivi',
    organisationDescription:
      'Les professionnels qui vous accompagnent. Vous pouvez les appeler pour en parler.',
  },
  en: {
    suicidePrevention: {
      kind: 'emergency',
      name: '3114, national suicide prevention line',
      phone: '3114',
      url: 'https://3114.fr',
      description:
        'Free, 24 hours a day, 7 days a week. For you, or if you are worried about someone close to you.',
    },
    samu: {
      kind: 'emergency',
      name: 'SAMU (emergency medical service)',
      phone: '15',
      description: 'Medical emergency, 24 hours a day.',
    },
    europeanEmergency: {
      kind: 'emergency',
      name: 'European emergency number',
      phone: '112',
      description: 'Emergency, from any phone.',
    },
    parentsInCrisis: {
      kind: 'national',
      name: 'Allô Parents en crise',
      phone: '0 805 382 300',
      description: 'Free helpline for parents who feel overwhelmed or exhausted (in French).',
    },
    mamanBlues: {
      kind: 'national',
      name: 'Maman Blues',
      url: 'https://www.maman-blues.fr',
      description:
        'Association of parents who went through a hard time around a birth: stories, listening and advice (in French).',
    },
    organisationName: 'Your follow-up team',
    organisationDescription: 'The professionals who support you. You can call them to talk about it.',
  },
};

/**
 * Resources in display order. Item 10 positive: emergency numbers first, then the team, national support and
 * local resources. Otherwise national support first, then the team, local resources, and emergency last.
 * The band does not change the order today; it is part of the signature so that it can without touching
 * callers.
 */
export function helpResources(
  language: EpdsLanguage,
  result: HelpResourceResult,
  organisationResources: OrganisationHelpResources,
): HelpResource[] {
  const text = RESOURCE_TEXT[language];
  const emergency = [text.suicidePrevention, text.samu, text.europeanEmergency];
  const national = [text.parentsInCrisis, text.mamanBlues];
  const organisation: HelpResource[] = organisationResources.contactPhone
    ? [
        {
          kind: 'organisation',
          name: organisationResources.organisationName?.trim() || text.organisationName,
          phone: organisationResources.contactPhone,
          description: text.organisationDescription,
        },
      ]
    : [];
  const local = organisationResources.localResources.map(toLocalResource);

  const ordered = result.item10Positive
    ? [...emergency, ...organisation, ...national, ...local]
    : [...national, ...organisation, ...local, ...emergency];
  // Copies, so that a caller cannot alter the shared data.
  return ordered.map((resource) => ({ ...resource }));
}

function toLocalResource(resource: LocalResource): HelpResource {
  const local: HelpResource = { kind: 'local', name: resource.name, description: resource.description ?? '' };
  if (resource.phone) local.phone = resource.phone;
  if (resource.url) local.url = resource.url;
  return local;
}

/** "tel:" address of a phone as displayed ("0 805 382 300" gives "tel:0805382300"). */
export function telUri(phone: string): string {
  return `tel:${phone.replace(/[^\d+]/g, '')}`;
}
