/**
 * The people of the demo organization, shared by both simulators: who is a Harmony user, who is a
 * UEM enrollment user, and under which spelling of their email (real directories differ in case).
 */
import { Rng } from '../common/rng.js';
import { HARMONY_PERSONAS, INTEGRATION_ACCOUNT } from './demo-org.js';

export interface DirectoryPerson {
  firstName: string;
  lastName: string;
  /** Canonical, lower case. */
  email: string;
  /** In Harmony (as a Harmony user of the organization). */
  harmony: boolean;
  /** Persona of docs/interfaces.md (always present, fixed roles). */
  persona: boolean;
  /** The email as UEM spells it, or undefined when the person is not a UEM enrollment user. */
  uemEmail: string | undefined;
  /** UEM user name (unique). */
  uemUserName: string | undefined;
}

const FIRST = [
  'Alex', 'Bea', 'Chen', 'Dana', 'Eli', 'Fatima', 'Gus', 'Hana', 'Ivan', 'Jo', 'Kemal', 'Lucia', 'Mika',
  'Nora', 'Oscar', 'Priya', 'Quinn', 'Rosa', 'Sven', 'Tara', 'Umar', 'Vera', 'Wen', 'Xavi', 'Yara', 'Zoe',
];
const LAST = [
  'Andersen', 'Baker', 'Costa', 'Dubois', 'Evans', 'Fischer', 'Garcia', 'Hughes', 'Ito', 'Jensen', 'Kowalski',
  'Lopez', 'Moreau', 'Nakamura', 'Okafor', 'Patel', 'Rossi', 'Schmidt', 'Tanaka', 'Usman', 'Varga', 'Walsh',
  'Yilmaz', 'Zhang',
];

/** Mixed case for some people, as real directories have (`Omar.Operator@Demo.example`). */
function mixCase(email: string): string {
  const [local = '', domain = ''] = email.split('@');
  const local2 = local
    .split('.')
    .map((p) => (p.length > 0 ? p[0]!.toUpperCase() + p.slice(1) : p))
    .join('.');
  return `${local2}@${domain.charAt(0).toUpperCase()}${domain.slice(1)}`;
}

export interface DirectoryOptions {
  seed: number;
  harmonyUsers: number;
  uemUsers: number;
}

/**
 * Builds the directory. Harmony users: the integration account, the personas, then generated
 * people up to `harmonyUsers`. UEM users: every persona, about 90% of the generated Harmony users
 * (some with mixed-case emails), then UEM-only people up to `uemUsers`.
 */
export function generateDirectory(options: DirectoryOptions): DirectoryPerson[] {
  const rng = new Rng(options.seed).fork('directory');
  const people: DirectoryPerson[] = [];
  const seen = new Set<string>();
  let uemCount = 0;

  const userName = (email: string) => email.split('@')[0]!.toLowerCase();

  people.push({
    ...INTEGRATION_ACCOUNT,
    harmony: true,
    persona: false,
    uemEmail: undefined,
    uemUserName: undefined,
  });
  seen.add(INTEGRATION_ACCOUNT.email);

  for (const p of HARMONY_PERSONAS) {
    // Omar is spelled in mixed case in UEM, so the case-insensitive join is exercised by a persona.
    const uemEmail = p.email.startsWith('omar.') ? mixCase(p.email) : p.email;
    people.push({
      firstName: p.firstName,
      lastName: p.lastName,
      email: p.email,
      harmony: true,
      persona: true,
      uemEmail,
      uemUserName: userName(p.email),
    });
    seen.add(p.email);
    uemCount++;
  }

  const generate = (harmony: boolean) => {
    for (;;) {
      const first = rng.pick(FIRST);
      const last = rng.pick(LAST);
      const n = rng.int(1000);
      const email = `${first}.${last}${n}@demo.example`.toLowerCase();
      if (seen.has(email)) continue;
      seen.add(email);
      return { firstName: first, lastName: last, email, harmony };
    }
  };

  while (people.filter((p) => p.harmony).length < options.harmonyUsers) {
    const p = generate(true);
    const enrolled = uemCount < options.uemUsers && rng.chance(0.9);
    const uemEmail = enrolled ? (rng.chance(0.2) ? mixCase(p.email) : p.email) : undefined;
    if (enrolled) uemCount++;
    people.push({ ...p, persona: false, uemEmail, uemUserName: enrolled ? userName(p.email) : undefined });
  }
  while (uemCount < options.uemUsers) {
    const p = generate(false);
    uemCount++;
    people.push({ ...p, persona: false, uemEmail: p.email, uemUserName: userName(p.email) });
  }
  return people;
}
