import { createPinia } from 'pinia';
import Vant, { showFailToast } from 'vant';
import 'vant/lib/index.css';
import { createApp } from 'vue';
import App from './App.vue';
import { router } from './router';
import './styles.css';

const app = createApp(App).use(createPinia()).use(router).use(Vant);
// An unexpected error still reaches the console (the browser tests fail on it); the person sees plain words.
app.config.errorHandler = (err) => {
  console.error(err);
  showFailToast('页面出了点问题，请返回后重试');
};
app.mount('#app');
