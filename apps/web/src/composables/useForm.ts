import { ref } from 'vue';
import { ApiError } from '../api/client';
import { messageOf } from '../api/messages';

/** The server's VALIDATION_FAILED details as field → message; nothing for any other failure. */
const validationErrors = (e: unknown): Record<string, string> => (e instanceof ApiError ? e.fieldErrors : {});

/**
 * The state of a form that sends one request: the messages under its fields, the alert above it and
 * its busy button. `errorsOf` puts a failure's messages under fields (by default the server's
 * validation errors), `alertOf` words the alert (by default messageOf).
 */
export function useForm(options: { errorsOf?: (e: unknown) => Record<string, string>; alertOf?: (e: unknown) => string } = {}) {
  const { errorsOf = validationErrors, alertOf = messageOf } = options;
  const fieldErrors = ref<Record<string, string>>({});
  const alert = ref<string | null>(null);
  const busy = ref(false);

  /** Clears the messages of the last attempt. */
  function reset() {
    fieldErrors.value = {};
    alert.value = null;
  }

  /** Runs `request` with the button busy; a failure is shown under the fields and in the alert. */
  async function send(request: () => Promise<unknown>) {
    busy.value = true;
    try {
      await request();
    } catch (e) {
      fieldErrors.value = errorsOf(e);
      alert.value = alertOf(e);
    } finally {
      busy.value = false;
    }
  }

  return { fieldErrors, alert, busy, reset, send };
}
