import { onMounted, ref, type Ref } from 'vue';
import { call } from '../../api/client';
import { messageOf } from '../../api/messages';

/** The collective economic organizations of an area, to pick from; loaded on mount, a failure said in `alert`. */
export function useAreaOrgs(divisionCode: string, alert: Ref<string | null>) {
  const orgs = ref<{ id: string; name: string }[]>([]);
  onMounted(async () => {
    try {
      orgs.value = (await call('GET /api/v1/economy/orgs', { query: { divisionCode, pageSize: 100 } })).items;
    } catch (e) {
      alert.value = messageOf(e);
    }
  });
  return orgs;
}
