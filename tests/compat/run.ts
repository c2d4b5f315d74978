/**
 * `npm run compat`: runs the conformance suite through ConnectStoreBridge against every store in
 * tests/compat/subjects.ts, on real Redis and PostgreSQL servers it starts and stops, and writes the
 * report to tests/compat/results.json, failures included. The docs page's table is rendered from it.
 *
 *   node tests/compat/run.ts                 # every store, writes results.json
 *   node tests/compat/run.ts memorystore     # only these stores; prints, writes nothing
 */
import { writeFileSync } from 'node:fs';
import { runCompat } from './compat-run.ts';

const only = process.argv.slice(2);
const report = await runCompat({
  ...(only.length > 0 ? { only } : {}),
  onStore: (subject) => process.stdout.write(`${subject.id}: running the conformance suite…\n`),
});

for (const store of report.stores) {
  const failed = store.checks.filter((check) => !check.passed);
  const required = failed.filter((check) => check.level === 'required').length;
  process.stdout.write(`\n${store.id} ${store.version}${store.backend ? ` on ${store.backend}` : ''}: ${store.checks.length - failed.length}/${store.checks.length} passed` + `${required > 0 ? `, ${required} required check(s) failed` : ''}\n`);
  for (const check of failed) process.stdout.write(`  ✗ ${check.id} (${check.level}): ${check.message ?? ''}\n`);
}

if (only.length === 0) {
  const target = new URL('./results.json', import.meta.url);
  writeFileSync(target, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`\nWrote ${target.pathname}\n`);
}
