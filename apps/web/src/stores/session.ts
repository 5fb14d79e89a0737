import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { EXTRA_VILLAGE_ROLES } from '@libs/identity/src/role-names';
import type { MeGrant, MeView } from '@libs/identity/src/views';
import { call, hasTokens, setTokens } from '../api/client';

const ACTING_KEY = 'sangong.acting';

/** A villager's own grants: the register's resident grant and the seats it records beside it. */
const VILLAGER_ROLES = new Set<string>(['resident', ...EXTRA_VILLAGE_ROLES]);
/** What a grant lets its holder do, not only read. */
const actionsOf = (g: MeGrant) => g.permissions.filter((p) => !p.endsWith('.read') && p !== 'identity.me').length;
/**
 * The order of "the most to do": an office (committee, mediator, staff, administrator) before the
 * villager grants every registered person also holds, so a village mediator opens as the mediator;
 * then the most permissions; then the most actions, so a villager who is also a collective member
 * opens as 村民 (who may also sign a joint proposal), not as 集体经济组织成员.
 */
const rankOf = (g: MeGrant) => [VILLAGER_ROLES.has(g.role) ? 0 : 1, g.permissions.length, actionsOf(g)];

function busiest(grants: MeGrant[]): MeGrant | null {
  let best: MeGrant | null = null;
  for (const g of grants) {
    if (!best) {
      best = g;
      continue;
    }
    const [a, b] = [rankOf(g), rankOf(best)];
    const i = a.findIndex((x, k) => x !== b[k]);
    if (i >= 0 && a[i] > b[i]) best = g;
  }
  return best;
}
const grantKey = (g: MeGrant) => `${g.role}@${g.divisionCode}`;

/** Who is logged in, and the role + division they are acting as when they hold several. */
export const useSession = defineStore('session', () => {
  const me = ref<MeView | null>(null);
  const actingKey = ref<string | null>(localStorage.getItem(ACTING_KEY));

  /**
   * The role chosen on this device if the person still holds it; otherwise the one with the most to do
   * (rankOf; on a tie, the first grant), so a committee chair who is also a villager opens as the chair
   * and sees 新建议题.
   */
  const acting = computed<MeGrant | null>(() => {
    const grants = me.value?.grants ?? [];
    return grants.find((g) => grantKey(g) === actingKey.value) ?? busiest(grants);
  });
  const loggedIn = computed(() => me.value !== null);

  function can(permission: string): boolean {
    return acting.value?.permissions.includes(permission) ?? false;
  }

  /**
   * Another of the person's roles that may do what the acting role may not: the UI offers a one-tap
   * switch ("切换为村民即可签名") instead of hiding the action without a word.
   */
  function grantWith(permission: string): MeGrant | null {
    if (can(permission)) return null;
    return (me.value?.grants ?? []).find((g) => g.permissions.includes(permission)) ?? null;
  }

  function actAs(g: MeGrant): void {
    actingKey.value = grantKey(g);
    localStorage.setItem(ACTING_KEY, actingKey.value);
  }

  async function loadMe(): Promise<MeView | null> {
    if (!hasTokens()) return null;
    me.value = await call('GET /api/v1/me');
    return me.value;
  }

  async function login(phone: string, password: string): Promise<void> {
    const pair = await call('POST /api/v1/auth/login', { body: { phone, password } });
    setTokens(pair);
    await loadMe();
  }

  async function logout(): Promise<void> {
    try {
      if (hasTokens()) await call('POST /api/v1/auth/logout');
    } finally {
      forget();
    }
  }

  function forget(): void {
    setTokens(null);
    me.value = null;
  }

  return { me, acting, loggedIn, can, grantWith, actAs, loadMe, login, logout, forget, grantKey };
});
