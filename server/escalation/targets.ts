// Who a ladder step reaches: staff matching the step's target, who may see the case's queue (invariant 5), and who
// can actually be told — a connected desk (and, for `on_shift`, on a shift that has not yet ended). An empty answer is a nobody-reachable alert.
import type { CaseView, UserView } from '../../shared/domain';
import { canSeeQueueId } from '../access/scope';
import { toUserView } from '../auth/staff-directory';
import type { SiteConfig } from '../config/site-config';
import type { UserRow } from '../store/schema';
import { prepareQuery } from '../store/prepared-query';
import type { WriteUnit } from '../store/write-queue';
import type { NotifyTarget } from './policy-schema';
import type { Presence } from './presence';
import { isOnShiftAt } from './shift-limits';

type StaffRow = UserRow & { on_shift: number | null; ends_at: number | null };

/** One active user as stored, with their shift. Their `UserView` (checked by toUserView's schema) is made when first asked for. */
class Candidate {
  /** As stored; whether it still counts depends on the moment asked (`isOnShiftAt`). */
  readonly shift: { on_shift: number; ends_at: number | null } | undefined;
  private view: UserView | undefined;

  constructor(private readonly row: StaffRow) {
    this.shift = row.on_shift === null ? undefined : { on_shift: row.on_shift, ends_at: row.ends_at };
  }

  get id(): string {
    return this.row.id;
  }

  get user(): UserView {
    this.view ??= toUserView(this.row);
    return this.view;
  }
}

/** Most users read in one statement: well inside SQLite's and PostgreSQL's limits on bound values. */
const READ_CHUNK = 500;

const selectDirectoryToken = prepareQuery((db) => db.selectFrom('staff_directory_version').select('token').where('id', '=', 1));

const selectAdminIds = prepareQuery((db) => db.selectFrom('users').select('id').where('role', '=', 'admin').where('disabled', '=', 0).orderBy('id'));

/** Active users by id, each read when first looked up (`undefined`: no such active user), for one state of the directory. */
type Known = Map<string, Promise<Candidate | undefined>>;

/**
 * The active staff as one transaction sees them. A user is read when a step or a page first looks them up, and kept
 * with the directory's state: a step looks only at the desks connected, far fewer than a trust's accounts, so neither a
 * step nor a change to the directory costs in proportion to the size of the trust.
 */
class ActiveStaff {
  constructor(
    private readonly unit: WriteUnit,
    private readonly known: Known,
  ) {}

  /** Those of these users who are active. */
  async among(ids: Iterable<string>): Promise<Candidate[]> {
    return (await this.each([...ids])).filter((candidate) => candidate !== undefined);
  }

  /**
   * Each of these users (`undefined`: not an active user); those not known yet are read together (one round trip on
   * PostgreSQL, not one each).
   */
  each(ids: readonly string[]): Promise<(Candidate | undefined)[]> {
    const missing = ids.filter((id) => !this.known.has(id));
    for (let start = 0; start < missing.length; start += READ_CHUNK) this.read(missing.slice(start, start + READ_CHUNK));
    return Promise.all(ids.map((id) => this.known.get(id)!));
  }

  private read(ids: readonly string[]): void {
    const rows = readActiveUsers(this.unit, ids);
    for (const id of ids) {
      const read = rows.then((byId) => {
        const row = byId.get(id);
        return row === undefined ? undefined : new Candidate(row);
      });
      // A failed read is not kept: the next lookup reads again.
      read.catch(() => {
        if (this.known.get(id) === read) this.known.delete(id);
      });
      this.known.set(id, read);
    }
  }
}

/** These users, where active, with their shifts. Built each time: the list's length varies (prepared-query.ts). */
async function readActiveUsers(unit: WriteUnit, ids: readonly string[]): Promise<Map<string, StaffRow>> {
  const rows = await unit.trx
    .selectFrom('users')
    .leftJoin('shifts', 'shifts.user_id', 'users.id')
    .selectAll('users')
    .select(['shifts.on_shift', 'shifts.ends_at'])
    .where('users.id', 'in', ids)
    .where('users.disabled', '=', 0)
    .execute();
  return new Map(rows.map((row) => [row.id, row]));
}

/**
 * The active staff and their shifts, as a transaction sees them, kept between transactions for as long as the
 * directory's token (migration 0012: changed by triggers on every write to users or shifts) stays the same. Every
 * commit that fires a ladder step asks; reading and checking every user each time made a step's cost grow with the
 * size of the trust, and so did reading them all again after each change (a shift begun or ended). One per hub: tokens
 * are per store. Random tokens, never reused, so that users read inside a transaction that changed the directory and
 * then rolled back are never taken for the state that follows.
 */
export class StaffDirectory {
  private kept: { token: string; known: Known } | undefined;
  /** A batch of timers fired together asks many times: the token is read once per transaction. */
  private readonly byTransaction = new WeakMap<WriteUnit['trx'], Promise<ActiveStaff>>();

  active(unit: WriteUnit): Promise<ActiveStaff> {
    let staff = this.byTransaction.get(unit.trx);
    if (staff === undefined) {
      staff = this.current(unit);
      this.byTransaction.set(unit.trx, staff);
    }
    return staff;
  }

  private async current(unit: WriteUnit): Promise<ActiveStaff> {
    const token = (await selectDirectoryToken.first(unit, {}))?.token;
    // Without its row (deleted by hand) nothing says when the directory changed: read afresh in every transaction,
    // slower but never stale, rather than stop the ladders.
    if (token === undefined) return new ActiveStaff(unit, new Map());
    if (this.kept?.token !== token) this.kept = { token, known: new Map() };
    return new ActiveStaff(unit, this.kept.known);
  }
}

function coversWard(user: UserView, ward: string | undefined, theCase: CaseView): boolean {
  if (ward === undefined) return true;
  // Wards narrow only staff who work by ward; an outreach nurse covers the whole hospital.
  if (user.role !== 'ward_nurse') return true;
  const code = ward === 'case' ? theCase.ward : ward;
  return code === null || user.wards.includes(code);
}

function matches(candidate: Candidate, target: NotifyTarget, theCase: CaseView, now: number): boolean {
  const { user } = candidate;
  switch (target.kind) {
    case 'user':
      return user.username === target.username;
    case 'on_shift':
      return isOnShiftAt(candidate.shift, now) && user.role === target.role && coversWard(user, target.ward, theCase);
    case 'team':
      return user.role === target.role && coversWard(user, target.ward, theCase);
    default:
      throw new Error(`unhandled notify target: ${JSON.stringify(target satisfies never)}`);
  }
}

/** `now` is the hub's clock in the firing transaction: a shift whose end has passed no longer counts. */
export async function reachableTargets(unit: WriteUnit, directory: StaffDirectory, site: SiteConfig, presence: Presence, target: NotifyTarget, theCase: CaseView, now: number): Promise<string[]> {
  const staff = await directory.active(unit);
  return (await staff.among(presence.connectedUserIds()))
    .filter((candidate) => matches(candidate, target, theCase, now) && canSeeQueueId(candidate.user, site, theCase.queueId))
    .map((candidate) => candidate.id)
    // In order of id, whatever order the desks connected in: the same step names its targets the same way every time.
    .sort();
}

/** Every active admin, connected or not: a nobody-reachable alert waits in their counts until someone sees it. */
export async function adminIds(unit: WriteUnit): Promise<string[]> {
  const rows = await selectAdminIds.all(unit, {});
  return rows.map((row) => row.id);
}

/** Staff who may be paged into this case: active and able to see its queue. */
export async function pageableIds(unit: WriteUnit, directory: StaffDirectory, site: SiteConfig, theCase: CaseView, userIds: readonly string[]): Promise<{ ok: string[]; refused: string[] }> {
  const staff = await directory.active(unit);
  const ids = [...new Set(userIds)];
  const found = await staff.each(ids);
  const ok: string[] = [];
  const refused: string[] = [];
  ids.forEach((id, index) => {
    const candidate = found[index];
    if (candidate !== undefined && canSeeQueueId(candidate.user, site, theCase.queueId)) ok.push(id);
    else refused.push(id);
  });
  return { ok, refused };
}
