import type { Router } from 'vue-router';

/**
 * A page's code that cannot be fetched — no signal, a dropped connection, or a newer version deployed
 * since this page was loaded (its old chunk names are gone) — shows plain words and a button that loads
 * the page again, instead of a tap that does nothing. Plain DOM and the entry's CSS (splash.css): the
 * failure may come before Vue has mounted anything.
 */

/** What the browsers say when a dynamic import or Vite's preload of its CSS fails. */
const LOAD_FAILURE =
  /Failed to fetch dynamically imported module|error loading dynamically imported module|Importing a module script failed|Unable to preload CSS/i;

export function isLoadFailure(err: unknown): boolean {
  return err instanceof Error && LOAD_FAILURE.test(err.message);
}

let retryTarget: string | null = null;

/** Shows the message once; `target` is the page the person was going to (loaded in full on 重试). */
export function showLoadFailure(target?: string): void {
  if (target) retryTarget = target;
  if (document.getElementById('load-failure')) return;
  const box = document.createElement('div');
  box.id = 'load-failure';
  box.setAttribute('role', 'alert');
  box.dataset.test = 'load-failure';
  const title = document.createElement('p');
  title.className = 'load-failure-title';
  title.textContent = '网络不畅，页面加载失败';
  const hint = document.createElement('p');
  hint.textContent = '请检查网络后点“重试”。';
  const retry = document.createElement('button');
  retry.type = 'button';
  retry.textContent = '重试';
  retry.dataset.test = 'load-retry';
  retry.addEventListener('click', () => {
    const here = location.pathname + location.search + location.hash;
    if (retryTarget && retryTarget !== here) location.assign(retryTarget);
    else location.reload();
  });
  box.append(title, hint, retry);
  document.body.append(box);
  retry.focus();
}

export function watchLoadFailures(router: Router): void {
  // Vite's own signal for a chunk (or its CSS) that failed; the error still goes on to the router,
  // which knows the page that was asked for.
  window.addEventListener('vite:preloadError', () => showLoadFailure());
  router.onError((err, to) => {
    if (isLoadFailure(err)) showLoadFailure(to.fullPath);
    // With a handler here the router no longer logs; anything else stays an error in the console.
    else console.error(err);
  });
  // A navigation started without a catch (Vant's `to` on a grid item or cell) rejects with the same
  // error: it is shown above, so it is not also an uncaught error.
  window.addEventListener('unhandledrejection', (e) => {
    if (!isLoadFailure(e.reason)) return;
    e.preventDefault();
    showLoadFailure();
  });
}
