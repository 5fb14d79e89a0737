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
const grantKey = (g: MyGrant) => `${g.role}@${g.divisionCode}`;

/** Who is logged in, and the role + division they are acting as when they hold several. */
export const useSession = defineStore('session', () => {
  const me = ref<Me | null>(null);
  const actingKey = ref<string | null>(localStorage.getItem(ACTING_KEY));

  const acting = computed<MyGrant | null>(() => {
    const grants = me.value?.grants ?? [];
    return grants.find((g) => grantKey(g) === actingKey.value) ?? grants[0] ?? null;
  });
  const loggedIn = computed(() => me.value !== null);

  function can(permission: string): boolean {
    return acting.value?.permissions.includes(permission) ?? false;
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

  return { me, acting, loggedIn, can, actAs, loadMe, login, logout, forget, grantKey };
});
