import { showSuccessToast } from 'vant';
import { ref } from 'vue';

/**
 * Which editor of a record's page is open in its bottom sheet (null: none), and what follows a save:
 * the sheet closes, a toast says so and the page reloads.
 */
export function useEditing<K extends string>(reload: () => Promise<void>) {
  const editing = ref<K | null>(null);
  async function saved() {
    editing.value = null;
    showSuccessToast('已保存');
    await reload();
  }
  return { editing, saved };
}
