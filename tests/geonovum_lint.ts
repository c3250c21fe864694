// Runs Geonovum's OGC API Features Spectral rulesets (tests/data/geonovum, MIT) on an OpenAPI document and prints
// the findings as JSON: `tsx geonovum_lint.ts openapi.json`. Used by tests/test_api_rules.py.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, join } from 'node:path';
import { Document, Spectral } from '@stoplight/spectral-core';
import { Json } from '@stoplight/spectral-parsers';
import featuresCore from './src/specs/ogc-api/rulesets/features-core';
import featuresCrs from './src/specs/ogc-api/rulesets/features-crs';
import featuresGeoJson from './src/specs/ogc-api/rulesets/features-geojson';
import featuresOas30 from './src/specs/ogc-api/rulesets/features-oas30';

// Offline: the rulesets fetch OGC's schemas from schemas.opengis.net (through fetch and through node-fetch in
// @stoplight/json-ref-readers); answer those from the copies in ogc-schemas/ (OGC License), refuse anything else.
const SCHEMAS = 'https://schemas.opengis.net/ogcapi/features/part1/1.0/openapi/schemas/';
const localFetch = async (url: unknown) => {
  const href = String(url);
  const file = join(process.env.OGC_SCHEMAS ?? join(__dirname, 'ogc-schemas'), basename(href));
  if (!href.startsWith(SCHEMAS) || !existsSync(file)) {
    throw new Error(`offline: no local copy of ${href}`);
  }
  return new Response(readFileSync(file, 'utf-8'), { status: 200 });
};
globalThis.fetch = localFetch as typeof fetch;
createRequire(require.resolve('@stoplight/json-ref-readers'))('node-fetch').default = localFetch;

const rulesets = { core: featuresCore, oas30: featuresOas30, geojson: featuresGeoJson, crs: featuresCrs };

async function main(path: string) {
  const document = new Document(readFileSync(path, 'utf-8'), Json);
  const findings = [];
  for (const [name, ruleset] of Object.entries(rulesets)) {
    const spectral = new Spectral();
    spectral.setRuleset(ruleset);
    for (const v of await spectral.run(document)) {
      findings.push({ ruleset: name, code: v.code, message: v.message, path: v.path.join('.'), severity: v.severity });
    }
  }
  console.log(JSON.stringify(findings));
}

main(process.argv[2]);
