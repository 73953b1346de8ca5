// @ts-check
// Clarion's layer rule, in the spirit of VS Code's code-layering rule: each top-level folder runs somewhere different
// (browser, hub, Electron main) and may import only what exists there. `shared/` is the one meeting point.
import { builtinModules } from 'node:module';
import path from 'node:path';

/** @typedef {'shared' | 'server' | 'renderer' | 'main'} Layer */

/** What each layer runs in, and so what it may import. Folders not listed (e2e, bench, scripts, docs) may import anything. */
export const LAYERS = {
  shared: { runsIn: 'anywhere (hub, browser, Electron)', layers: ['shared'], packages: (/** @type {string} */ name) => name === 'zod' },
  server: { runsIn: 'the hub (Node)', layers: ['shared', 'server'], packages: (/** @type {string} */ name) => !isElectron(name) && !isBrowserOnly(name) },
  renderer: { runsIn: 'the browser / Electron renderer', layers: ['shared', 'renderer'], packages: (/** @type {string} */ name) => !isNodeBuiltin(name) && !isElectron(name) },
  main: { runsIn: 'Electron main and preload', layers: ['shared', 'main'], packages: (/** @type {string} */ name) => !isBrowserOnly(name) },
};

const BROWSER_ONLY = new Set(['react', 'react-dom', 'mobx', 'mobx-react-lite', 'socket.io-client', '@tanstack/react-virtual', 'recharts']);

/** @param {string} name */
function packageName(name) {
  const parts = name.split('/');
  return name.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? name);
}
/** @param {string} name */
function isNodeBuiltin(name) {
  return name.startsWith('node:') || builtinModules.includes(packageName(name));
}
/** @param {string} name */
function isElectron(name) {
  return packageName(name) === 'electron' || packageName(name).startsWith('electron-');
}
/** @param {string} name */
function isBrowserOnly(name) {
  return BROWSER_ONLY.has(packageName(name));
}

/**
 * @param {string} file absolute path of the importing file
 * @param {string} root absolute path of the repository
 * @returns {Layer | undefined}
 */
export function layerOf(file, root) {
  const relative = path.relative(root, file);
  if (relative.startsWith('..')) return undefined;
  const top = relative.split(path.sep)[0];
  return top === 'shared' || top === 'server' || top === 'renderer' || top === 'main' ? top : undefined;
}

/** @type {import('eslint').Rule.RuleModule} */
export const layerImportsRule = {
  meta: {
    type: 'problem',
    docs: { description: 'Enforce the layer import table of docs/architecture.md' },
    schema: [{ type: 'object', properties: { root: { type: 'string' } }, additionalProperties: false }],
    messages: {
      layer:
        '{{from}}/ runs in {{runsIn}} and may import only from {{allowed}}; "{{source}}" is in {{to}}/. Layers meet only in shared/ (docs/architecture.md, "Layers").',
      package: '{{from}}/ runs in {{runsIn}}, where "{{source}}" does not belong. Move the code to the layer that can run it, or put the shared part in shared/ (docs/architecture.md, "Layers").',
    },
  },
  create(context) {
    const options = /** @type {{ root?: string } | undefined} */ (context.options[0]);
    const root = options?.root ?? context.cwd;
    const file = context.filename;
    const from = layerOf(file, root);
    // Tests, test support and build configs are not shipped with their layer: they may start a real hub, drive a
    // real browser, or run in Node to build the layer.
    if (from === undefined || /\.test\.tsx?$|[\\/]testing[\\/]|\.config\.[cm]?[jt]s$/.test(file)) return {};
    const rules = LAYERS[from];

    /** @param {import('estree').Node & { source?: unknown }} node */
    function check(node) {
      const literal = /** @type {{ type?: string; value?: unknown } | null | undefined} */ (node.source);
      if (literal?.type !== 'Literal' || typeof literal.value !== 'string') return;
      const source = literal.value;
      if (source.startsWith('.') || source.startsWith('/')) {
        const to = layerOf(path.resolve(path.dirname(file), source), root);
        if (to !== undefined && !rules.layers.includes(to)) {
          context.report({ node, messageId: 'layer', data: { from, to, source, runsIn: rules.runsIn, allowed: rules.layers.map((layer) => `${layer}/`).join(' and ') } });
        }
        return;
      }
      if (!rules.packages(source)) context.report({ node, messageId: 'package', data: { from, source, runsIn: rules.runsIn } });
    }

    return {
      ImportDeclaration: check,
      ExportNamedDeclaration: check,
      ExportAllDeclaration: check,
      ImportExpression: check,
    };
  },
};

export default { rules: { 'layer-imports': layerImportsRule } };
