import { showFailToast } from 'vant';

/** The plain words for an error nothing else handled (main.ts loads this on first use). */
export function tellUnexpectedError(): void {
  showFailToast('页面出了点问题，请返回后重试');
}
