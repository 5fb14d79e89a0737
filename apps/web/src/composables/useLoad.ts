import { onMounted, ref, watch, type WatchSource } from 'vue';
import { messageOf } from '../api/messages';

/**
 * Loads a page's data on mount and again whenever one of `sources` changes (and on `load()`):
 * `loading` while it runs, `alert` says why it failed.
 */
export function useLoad(fetch: () => Promise<unknown>, sources: WatchSource[] = []) {
  const loading = ref(false);
  const alert = ref<string | null>(null);

  async function load() {
    loading.value = true;
    alert.value = null;
    try {
      await fetch();
    } catch (e) {
      alert.value = messageOf(e);
    } finally {
      loading.value = false;
    }
  }

  onMounted(load);
  if (sources.length) watch(sources, load);
  return { loading, alert, load };
}
