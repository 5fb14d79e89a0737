import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { api, hasTokens, setTokens, type TokenPair } from '../api/client';

export interface MyGrant {
  role: string;
  roleName: string;
  divisionCode: string;
  divisionName: string;
  divisionFullName: string;
  permissions: string[];
}

export interface Me {
  accountId: string;
  personId: string;
  realName: string;
  idNumberMasked: string;
  phoneMasked: string | null;
  homeDivisionCode: string;
  homeDivisionName: string;
  grants: MyGrant[];
}

const ACTING_KEY = 'sangong.acting';

function busiest(grants: MyGrant[]): MyGrant | null {
  let best: MyGrant | null = null;
  for (const g of grants) if (!best || g.permissions.length > best.permissions.length) best = g;
  return best;
}
const grantKey = (g: MyGrant) => `${g.role}@${g.divisionCode}`;

/** Who is logged in, and the role + division they are acting as when they hold several. */
export const useSession = defineStore('session', () => {
  const me = ref<Me | null>(null);
  const actingKey = ref<string | null>(localStorage.getItem(ACTING_KEY));

  /**
   * The role chosen on this device if the person still holds it; otherwise the one with the most to do
   * (the most permissions; on a tie, the first grant), so a committee chair who is also a villager opens
   * as the chair and sees 新建议题.
   */
  const acting = computed<MyGrant | null>(() => {
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
  function grantWith(permission: string): MyGrant | null {
    if (can(permission)) return null;
    return (me.value?.grants ?? []).find((g) => g.permissions.includes(permission)) ?? null;
  }

  function actAs(g: MyGrant): void {
    actingKey.value = grantKey(g);
    localStorage.setItem(ACTING_KEY, actingKey.value);
  }

  async function loadMe(): Promise<Me | null> {
    if (!hasTokens()) return null;
    me.value = await api.get<Me>('/api/v1/me');
    return me.value;
  }

  async function login(phone: string, password: string): Promise<void> {
    const pair = await api.post<TokenPair>('/api/v1/auth/login', { phone, password });
    setTokens(pair);
    await loadMe();
  }

  async function logout(): Promise<void> {
    try {
      if (hasTokens()) await api.post('/api/v1/auth/logout');
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
