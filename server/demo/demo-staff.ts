// The demo's first-run accounts: one per role, with generated passwords printed once. Only ever created when the hub
// runs the built-in demo configuration on an empty store — never where a real config file exists.
import type { Role } from '../../shared/domain';
import { generatePassword } from '../auth/passwords';
import { countStaff, createStaff } from '../auth/staff-directory';
import type { Store } from '../store/open-store';

export interface DemoCredential {
  username: string;
  password: string;
  role: Role;
  wards: string[];
}

const DEMO_STAFF: { username: string; displayName: string; role: Role; wards: string[] }[] = [
  { username: 'nurse', displayName: 'Nia Okafor (Ward 1–2)', role: 'ward_nurse', wards: ['W1', 'W2'] },
  { username: 'outreach', displayName: 'Sam Patel (Outreach)', role: 'outreach', wards: [] },
  { username: 'pals', displayName: 'Alex Morgan (PALS)', role: 'pals_officer', wards: [] },
  { username: 'admin', displayName: 'Jo Reid (Admin)', role: 'admin', wards: [] },
];

/** Returns the credentials it created, or an empty list when the store already has staff. */
export async function seedDemoStaff(store: Store): Promise<DemoCredential[]> {
  if ((await countStaff(store)) > 0) return [];
  const created: DemoCredential[] = [];
  for (const staff of DEMO_STAFF) {
    const password = generatePassword();
    await createStaff(store, { ...staff, password });
    created.push({ username: staff.username, password, role: staff.role, wards: staff.wards });
  }
  return created;
}
