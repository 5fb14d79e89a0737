import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Plugin } from 'vite';

/** vant/es, where each component has its folder: field/index.mjs and field/style/index.mjs (its CSS and its dependencies'). */
const VANT_ES = path.join(path.dirname(createRequire(import.meta.url).resolve('vant/package.json')), 'es');

/** The function-call APIs and the component whose CSS each needs. */
const FUNCTION_STYLES: Record<string, string> = {
  showToast: 'toast',
  showFailToast: 'toast',
  showSuccessToast: 'toast',
  showLoadingToast: 'toast',
  closeToast: 'toast',
  showDialog: 'dialog',
  showConfirmDialog: 'dialog',
  closeDialog: 'dialog',
  showNotify: 'notify',
  closeNotify: 'notify',
  showImagePreview: 'image-preview',
};

const kebab = (pascal: string) => pascal.replace(/[A-Z]/g, (c, i: number) => (i ? '-' : '') + c.toLowerCase());
const pascal = (kebabName: string) => kebabName.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase());

/** What Vue's template compiler emits for a component it cannot see in the script: <van-field> → _resolveComponent("van-field"). */
const RESOLVED = /\b_?resolveComponent\("van-([a-z-]+)"\)/g;
/** `import { showSuccessToast, … } from 'vant'` in a view or composable. */
const NAMED_IMPORT = /import\s*\{([^}]*)\}\s*from\s*['"]vant['"]/g;

/**
 * Vant on demand, instead of registering the whole library (its 237 KB of script and 200 KB of CSS
 * reached the login page): each `<van-*>` tag in a template becomes an import of that one component,
 * and each component or function imported from 'vant' brings its own CSS, into the chunk of the page
 * that uses it. An unknown `<van-*>` tag fails the build instead of rendering nothing.
 */
export function vantOnDemand(): Plugin[] {
  const dirOf = (name: string, where: string): string => {
    if (!existsSync(path.join(VANT_ES, name, 'style/index.mjs'))) throw new Error(`${where}: vant has no component "${name}"`);
    return name;
  };
  const onDemand: Plugin = {
    name: 'sangong:vant-on-demand',
    enforce: 'post',
    transform: {
      filter: { id: { include: /\.(vue|ts)(\?|$)/, exclude: /\/node_modules\// }, code: /resolveComponent\("van-|from\s*['"]vant['"]/ },
      handler(code, id) {
        // A .vue file's template compiles into its script (…App.vue?vue&type=script&setup=true&lang.ts in a
        // build, …App.vue in the dev server); its styles are modules of their own.
        const [file, query = ''] = id.split('?');
        if (file.includes('/node_modules/') || !/\.(vue|ts)$/.test(file) || (query && !/(^|&)type=script(&|$)/.test(query))) return null;
        const imports = new Set<string>();
        const styles = new Set<string>();
        let out = code.replace(RESOLVED, (_m, name: string) => {
          const dir = dirOf(name, file);
          const local = `__Van${pascal(name)}`;
          imports.add(`import { ${pascal(name)} as ${local} } from 'vant/es/${dir}/index.mjs';`);
          styles.add(dir);
          return local;
        });
        for (const m of code.matchAll(NAMED_IMPORT)) {
          for (const spec of m[1].split(',')) {
            const name = spec
              .trim()
              .split(/\s+as\s+/)[0]
              .replace(/^type\s+/, '');
            if (!name || spec.trim().startsWith('type ')) continue;
            styles.add(dirOf(FUNCTION_STYLES[name] ?? kebab(name), file));
          }
        }
        if (!imports.size && !styles.size) return null;
        // Appended (imports are hoisted), so no line moves and the existing source map still holds.
        out = [out, ...imports, ...[...styles].map((d) => `import 'vant/es/${d}/style/index.mjs';`)].join('\n');
        return { code: out, map: null };
      },
    },
  };
  return [onDemand, iconFontLocalOnly()];
}

/**
 * Vant's icon font comes as a 25 KB woff2 data: URL inside its CSS, followed by a woff copy on a CDN
 * (at.alicdn.com). In a build the woff2 becomes a file of its own (assets/vant-icon-[hash].woff2), so the
 * stylesheet every page waits for no longer carries it and the browser fetches it only when an icon is
 * shown (the login page shows none). The CDN copy is dropped in the dev server too: every browser that
 * runs this app (ES modules) reads woff2, and Chromium checks every source against the CSP's font-src as
 * it parses the rule, reporting the CDN one as a violation.
 */
const ICON_CSS = /\/vant\/es\/icon\/index\.css(\?|$)/;
const REMOTE_FONT = /,\s*url\((?:https?:)?\/\/[^)]*\)\s*format\(["']?woff["']?\)/g;
const INLINE_WOFF2 = /url\(["']?data:font\/woff2;(?:charset=utf-8;)?base64,([A-Za-z0-9+/=]+)["']?\)/;
/** Stands for the font's URL until the file's hashed name is known; Vite leaves `#…` URLs alone. */
const FONT_PLACEHOLDER = '#sangong-vant-icon-woff2';

function iconFontLocalOnly(): Plugin {
  let isBuild = false;
  let fontRef: string | null = null;
  return {
    name: 'sangong:vant-icon-font',
    enforce: 'pre',
    configResolved(config) {
      isBuild = config.command === 'build';
    },
    transform: {
      filter: { id: ICON_CSS },
      handler(code, id) {
        let out = code.replace(REMOTE_FONT, '');
        if (out === code) this.error(`${id}: the remote icon font source was not found; check the @font-face rule`);
        if (isBuild) {
          const m = INLINE_WOFF2.exec(out);
          if (!m) this.error(`${id}: the inline woff2 icon font was not found; check the @font-face rule`);
          fontRef = this.emitFile({ type: 'asset', name: 'vant-icon.woff2', source: Buffer.from(m[1], 'base64') });
          out = out.replace(INLINE_WOFF2, `url(${FONT_PLACEHOLDER})`);
        }
        return { code: out, map: null };
      },
    },
    generateBundle(_options, bundle) {
      for (const file of Object.values(bundle)) {
        if (file.type !== 'asset' || !file.fileName.endsWith('.css') || typeof file.source !== 'string') continue;
        if (!file.source.includes(FONT_PLACEHOLDER)) continue;
        if (!fontRef) this.error(`${file.fileName} refers to the icon font, which was not emitted`);
        file.source = file.source.replaceAll(FONT_PLACEHOLDER, `/${this.getFileName(fontRef)}`);
      }
    },
  };
}
