/**
 * External users of the demo organization: the four personas of docs/interfaces.md exactly, then
 * generated partners up to the requested count, with a realistic spread of statuses, expiry dates
 * (relative to "today" in each user's time zone), time zones, logins and grants: API groups, and
 * APIs on their own (some of a group's, and the ones published in no group).
 */
import { type Rng, uuidFrom } from '../common/rng.js';
import { EXTERNAL_PERSONAS, type ExternalStatus } from '../dataset/demo-org.js';
import { addDays, expiryInstant, localDate } from './harmony.expiry.js';
import type { ApiGrant, HarmonyApi, HarmonyApiGroup, HarmonyExternalUser } from './harmony.types.js';

const DAY = 86_400_000;

const COMPANIES: readonly (readonly [string, string])[] = [
  ['Northwind Traders', 'northwind.example'],
  ['Contoso Logistics', 'contoso.example'],
  ['Fabrikam Devices', 'fabrikam.example'],
  ['Tailspin Retail', 'tailspin.example'],
  ['Wingtip Health', 'wingtip.example'],
  ['Lucerne Field Services', 'lucerne.example'],
  ['Adatum Freight', 'adatum.example'],
];

const TIME_ZONES = [
  'America/New_York', 'America/Chicago', 'America/Los_Angeles', 'America/Sao_Paulo', 'Europe/London',
  'Europe/Berlin', 'Europe/Madrid', 'Africa/Johannesburg', 'Asia/Kolkata', 'Asia/Singapore', 'Asia/Tokyo',
  'Australia/Sydney', 'Pacific/Auckland', 'UTC',
];

const FIRST = ['Amir', 'Birgit', 'Carmen', 'Dmitri', 'Esther', 'Felix', 'Greta', 'Hiro', 'Ines', 'Jonas', 'Kiri', 'Leo', 'Maya', 'Nils'];
const LAST = ['Abbott', 'Bianchi', 'Castillo', 'Dahl', 'Eze', 'Fontaine', 'Gupta', 'Holm', 'Ibarra', 'Juarez', 'Kimura', 'Lindqvist'];

/** What the generated user is meant to read as, and how its stored fields get there. */
type Kind = 'ACTIVE' | 'SUSPENDED' | 'REQUESTED' | 'EXPIRED';

const iso = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString();

export interface ExternalDatasetOptions {
  rng: Rng;
  count: number;
  now: number;
  apiGroups: readonly HarmonyApiGroup[];
  /** The published APIs; the ones in no group are granted on their own to some users. */
  apis: readonly HarmonyApi[];
}

export function generateExternalUsers(options: ExternalDatasetOptions): HarmonyExternalUser[] {
  const { rng, now, apiGroups } = options;
  const idRng = rng.fork('ids');
  const groupByName = new Map(apiGroups.map((g) => [g.name, g.apiGroupId]));
  const allApis: ApiGrant[] = apiGroups.flatMap((g) => g.apis.map((apiId) => ({ envId: g.envId, apiId })));
  // APIs in no group, granted from a generator of their own so the rest of the dataset stays as it was.
  const soloRng = rng.fork('solo-apis');
  const soloApis: ApiGrant[] = options.apis
    .filter((a) => !allApis.some((g) => g.apiId === a.apiId))
    .map((a) => ({ envId: a.envId, apiId: a.apiId }));

  /** Registration 30–900 days before `limit` (now, or the expiry if earlier) and a last login since. */
  const registered = (limit: number) => {
    const memberSince = limit - rng.range(30, 900) * DAY - rng.int(DAY);
    return { memberSince: iso(memberSince), lastLogin: iso(memberSince + rng.next() * (limit - memberSince)) };
  };

  const users: HarmonyExternalUser[] = EXTERNAL_PERSONAS.map((p, i) => {
    const accessExpiresOn = p.expiresInDays === null ? null : addDays(localDate(now, p.timeZone), p.expiresInDays);
    const limit = accessExpiresOn === null ? now : Math.min(now, expiryInstant(accessExpiresOn, p.timeZone));
    const dates =
      p.status === 'REQUESTED'
        ? { memberSince: null, lastLogin: null }
        : { memberSince: iso(limit - (200 + 40 * i) * DAY), lastLogin: iso(limit - (i + 1) * 3_600_000) };
    return {
      externalUserId: uuidFrom(idRng),
      email: p.email,
      name: p.name,
      company: p.company,
      status: p.status,
      accessExpiresOn,
      timeZone: p.timeZone,
      ...dates,
      apiGroupIds: p.apiGroups.map((name) => {
        const id = groupByName.get(name);
        if (!id) throw new Error(`unknown API group ${name}`);
        return id;
      }),
      apis: [],
      invitationsSent: 1,
    };
  });

  const seen = new Set(users.map((u) => u.email));
  while (users.length < options.count) {
    const first = rng.pick(FIRST);
    const last = rng.pick(LAST);
    const [company, domain] = rng.pick(COMPANIES);
    let email = `${first}.${last}@${domain}`.toLowerCase();
    while (seen.has(email)) email = `${first}.${last}${rng.int(100_000)}@${domain}`.toLowerCase();
    seen.add(email);

    const timeZone = rng.pick(TIME_ZONES);
    const today = localDate(now, timeZone);
    const kind = rng.weighted<Kind>([
      ['ACTIVE', 55],
      ['SUSPENDED', 10],
      ['REQUESTED', 15],
      ['EXPIRED', 20],
    ]);
    let status: ExternalStatus;
    let accessExpiresOn: string | null;
    if (kind === 'EXPIRED') {
      // Stored as it was before the date passed; it reads EXPIRED from the date alone.
      status = rng.chance(0.85) ? 'ACTIVE' : 'SUSPENDED';
      accessExpiresOn = addDays(today, -rng.range(1, 90));
    } else {
      status = kind;
      accessExpiresOn = rng.chance(0.5) ? null : addDays(today, kind === 'REQUESTED' ? rng.range(7, 60) : rng.range(1, 365));
    }
    const limit = accessExpiresOn === null ? now : Math.min(now, expiryInstant(accessExpiresOn, timeZone));
    const dates = status === 'REQUESTED' ? { memberSince: null, lastLogin: null } : registered(limit);
    users.push({
      externalUserId: uuidFrom(idRng),
      email,
      name: `${first} ${last}`,
      company,
      status,
      accessExpiresOn,
      timeZone,
      ...dates,
      apiGroupIds: apiGroups.filter(() => rng.chance(0.4)).map((g) => g.apiGroupId),
      apis: [...allApis.filter(() => rng.chance(0.15)), ...soloApis.filter(() => soloRng.chance(0.2))].map((a) => ({ ...a })),
      invitationsSent: rng.range(1, 3),
    });
  }
  return users;
}
