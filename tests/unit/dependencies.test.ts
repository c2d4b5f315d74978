/**
 * The layers of DESIGN.md, enforced: dependency-cruiser checks every import under src/ against the
 * rules in tests/tools/dependency-rules.mjs (no cycles of modules or of folders, the library imports
 * nothing of the site, the site reaches the library through its package entry points only, the
 * playground and the exercises keep apart). The imports of `.astro` files (frontmatter and bundled
 * scripts) count too: the rules run on a copy of src/ where each is a TypeScript module
 * (tests/tools/astro-modules.mjs).
 */
import { join } from 'node:path';
import { globSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cruise, type ICruiseResult, type IViolation } from 'dependency-cruiser';
import { afterAll, describe, expect, it } from 'vitest';
import { astroName, cruisableCopy } from '../tools/astro-modules.mjs';
import config, { ENTRY_POINTS } from '../tools/dependency-rules.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FIXTURE = fileURLToPath(new URL('../fixtures/dependency-layers', import.meta.url));
const RULES = config.forbidden ?? [];

const copies: { dispose(): void }[] = [];
afterAll(() => {
  for (const copy of copies.splice(0)) copy.dispose();
});

/** Cruises `src` under `root`, `.astro` files included, with the project's rules. */
async function cruiseLayers(root: string): Promise<ICruiseResult> {
  const copy = cruisableCopy(root, join(ROOT, 'node_modules'));
  copies.push(copy);
  const { output } = await cruise(['src'], { ...config.options, baseDir: copy.dir, validate: true, ruleSet: { forbidden: RULES } });
  if (typeof output === 'string') throw new Error(`dependency-cruiser returned text, not a result: ${output.slice(0, 200)}`);
  return output;
}

/** `from → to`, or the whole circle for a cycle: what a reader needs to find the import. */
function pathOf(violation: IViolation): string {
  const path = violation.cycle ? [violation.from, ...violation.cycle.map((step) => step.name)] : [violation.from, violation.to];
  return path.map(astroName).join(' → ');
}

function describeViolation(violation: IViolation): string {
  return `${violation.rule.name}: ${pathOf(violation)}`;
}

/** Every violation, one per line, under the rule it breaks and the reason for that rule. */
function report(violations: readonly IViolation[]): string {
  const lines = [`${violations.length} dependency rule ${violations.length === 1 ? 'violation' : 'violations'}:`];
  for (const rule of RULES) {
    const broken = violations.filter((violation) => violation.rule.name === rule.name);
    if (broken.length === 0) continue;
    lines.push(`${rule.name} (${rule.comment ?? ''})`);
    for (const violation of broken) lines.push(`  ${pathOf(violation)}`);
  }
  return lines.join('\n');
}

describe('the dependency rules', () => {
  it('take the library’s entry points from package.json’s exports', () => {
    expect(ENTRY_POINTS).toContain('src/session/index.ts');
    expect(ENTRY_POINTS).toContain('src/session/conformance/index.ts');
    expect(ENTRY_POINTS).not.toContain('src/session/session.ts');
    expect(ENTRY_POINTS.every((entry) => /^src\/session\/.+\.ts$/.test(entry))).toBe(true);
  });

  describe('over a tree that breaks each of them', () => {
    it('report every violating import, and nothing else', async () => {
      const result = await cruiseLayers(FIXTURE);
      expect(result.summary.violations.map(describeViolation).sort()).toEqual([
        // From a <script> Astro bundles; the is:inline one beside it is not the page's code.
        'exercises-not-playground: src/exercises/Exercise.astro → src/playground/editor.ts',
        'exercises-not-playground: src/exercises/hints.ts → src/playground/editor.ts',
        'library-imports-no-site-code: src/session/session.ts → src/sim/clock.ts',
        // Type-only, both ways (`import type`, `export type … from`): swc parses the source as written.
        'no-cycles: src/components/lab.ts → src/components/panel.ts → src/components/lab.ts',
        // Folders that import each other, also where no module is in a circle (checks ↔ editor).
        'no-folder-cycles: src/checks → src/editor → src/checks',
        'no-folder-cycles: src/editor → src/checks → src/editor',
        'no-folder-cycles: src/exercises → src/playground → src/exercises',
        'no-folder-cycles: src/playground → src/exercises → src/playground',
        'no-folder-cycles: src/session → src/sim → src/session',
        'no-folder-cycles: src/sim → src/session → src/sim',
        'playground-not-exercises: src/playground/editor.ts → src/exercises/run.ts',
        // From a frontmatter.
        'site-uses-library-entry-points: src/pages/page.astro → src/session/session.ts',
        'site-uses-library-entry-points: src/sim/server.ts → src/session/session.ts',
      ]);
    });

    it('print each violation with the reason for its rule', async () => {
      const { summary } = await cruiseLayers(FIXTURE);
      const upward = summary.violations.filter((violation) => violation.rule.name === 'library-imports-no-site-code');
      expect(report(upward)).toBe(
        [
          '1 dependency rule violation:',
          'library-imports-no-site-code (src/session is the published library: it may import itself, npm packages and node: builtins, nothing of the site.)',
          '  src/session/session.ts → src/sim/clock.ts',
        ].join('\n'),
      );
    });
  });

  describe('over src/', () => {
    let project: Promise<ICruiseResult> | undefined;
    const cruiseProject = () => (project ??= cruiseLayers(ROOT));

    it('see every TypeScript module and .astro file, and its type-only imports', async () => {
      const result = await cruiseProject();
      const cruised = new Set(result.modules.map((module) => astroName(module.source)));
      const sources = globSync(['src/**/*.ts', 'src/**/*.astro'], { cwd: ROOT }).map((file) => file.split('\\').join('/'));
      expect(sources.filter((file) => file.endsWith('.astro')).length).toBeGreaterThan(0);
      expect(sources.filter((file) => !cruised.has(file))).toEqual([]);
      // A page's frontmatter imports, and the modules the <script> of an island loads.
      const importsOf = (file: string) => result.modules.find((module) => astroName(module.source) === file)?.dependencies.map((dependency) => astroName(dependency.resolved)) ?? [];
      expect(importsOf('src/pages/playground.astro')).toContain('src/playground/Playground.astro');
      expect(importsOf('src/playground/Playground.astro')).toContain('src/playground/playground-element.ts');
      // The Lab's panels take their shared types from lab-context.ts with `import type` only.
      const panel = result.modules.find((module) => module.source === 'src/components/lab/lab-timeline.ts');
      const context = panel?.dependencies.find((dependency) => dependency.resolved === 'src/components/lab/lab-context.ts');
      expect(context?.dependencyTypes).toContain('type-only');
    });

    it('find no violation', async () => {
      const { summary } = await cruiseProject();
      expect(summary.violations.map(describeViolation), report(summary.violations)).toEqual([]);
    });
  });
});
