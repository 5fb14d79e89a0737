import 'vant/es/style/base.css';
import './styles.css';
import { applyTextSize, savedTextSize } from './text-size';
import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import { isLoadFailure, watchLoadFailures } from './load-failure';
import { router } from './router';

watchLoadFailures(router);
applyTextSize(savedTextSize());
const app = createApp(App).use(createPinia()).use(router);
// An unexpected error still reaches the console (the browser tests fail on it); the person sees plain words.
// The toast is fetched on first use, so it is not part of the first page's script.
app.config.errorHandler = (err) => {
  console.error(err);
  import('./unexpected-error').then(
    (m) => m.tellUnexpectedError(),
    () => undefined,
  );
};
// Mounted once the first page's code has arrived: until then the splash in index.html stays on screen.
// A first page that cannot load shows the load failure message instead (watchLoadFailures).
router.isReady().then(
  () => app.mount('#app'),
  (err: unknown) => {
    if (!isLoadFailure(err)) app.mount('#app');
  },
);
