import path from 'node:path';
import { RuleTester } from 'eslint';
import { afterAll, describe, it } from 'vitest';
import { layerImportsRule } from './layer-imports.js';

RuleTester.afterAll = afterAll;
RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

const root = '/repo';
const at = (file: string) => path.join(root, file);
const tester = new RuleTester({ languageOptions: { ecmaVersion: 2022, sourceType: 'module' } });
const options = [{ root }];

tester.run('layer-imports', layerImportsRule, {
  valid: [
    { filename: at('server/hub.ts'), code: "import { x } from '../shared/protocol';", options },
    { filename: at('server/store/open-store.ts'), code: "import Database from 'better-sqlite3'; import { x } from '../clock';", options },
    { filename: at('renderer/src/main.tsx'), code: "import { x } from '../../shared/domain'; import React from 'react';", options },
    { filename: at('main/main.ts'), code: "import { app } from 'electron'; import { join } from 'node:path'; import { x } from '../shared/bridge';", options },
    { filename: at('shared/protocol.ts'), code: "import { z } from 'zod'; import { A } from './domain';", options },
    { filename: at('renderer/src/stores/case-store.test.ts'), code: "import { startHub } from '../../../server/testing/hub-harness'; import { it } from 'vitest';", options },
    { filename: at('e2e/desk.test.ts'), code: "import { createHub } from '../server/hub'; import { x } from '../renderer/src/x';", options },
  ],
  invalid: [
    { filename: at('renderer/src/app.tsx'), code: "import { createHub } from '../../server/hub';", options, errors: [{ messageId: 'layer' }] },
    { filename: at('server/hub.ts'), code: "export { x } from '../renderer/src/x';", options, errors: [{ messageId: 'layer' }] },
    { filename: at('main/main.ts'), code: "const hub = import('../server/hub');", options, errors: [{ messageId: 'layer' }] },
    { filename: at('shared/domain.ts'), code: "import { readFileSync } from 'node:fs';", options, errors: [{ messageId: 'package' }] },
    { filename: at('shared/domain.ts'), code: "import { x } from '../server/clock';", options, errors: [{ messageId: 'layer' }] },
    { filename: at('renderer/src/a.ts'), code: "import { readFileSync } from 'fs';", options, errors: [{ messageId: 'package' }] },
    { filename: at('renderer/src/a.ts'), code: "import { ipcRenderer } from 'electron';", options, errors: [{ messageId: 'package' }] },
    { filename: at('server/x.ts'), code: "import { BrowserWindow } from 'electron';", options, errors: [{ messageId: 'package' }] },
    { filename: at('main/x.ts'), code: "import React from 'react';", options, errors: [{ messageId: 'package' }] },
  ],
});
