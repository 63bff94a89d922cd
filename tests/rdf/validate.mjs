// Validates RDF files (Turtle or N-Triples) against SHACL shapes (Turtle) with rdf-validate-shacl
// and prints the report as one JSON object: {"conforms", "violations", "results": [...]}.
// usage: node validate.mjs SHAPES.ttl DATA.ttl [DATA2.nt ...]   (exit 0: no sh:Violation)
import { readFileSync } from 'node:fs';
import { Parser } from 'n3';
import SHACLValidator from 'rdf-validate-shacl';
import factory from 'rdf-validate-shacl/src/defaultEnv.js';

function load(path) {
  const format = path.endsWith('.nt') ? 'N-Triples' : 'Turtle';
  const quads = new Parser({ format, baseIRI: 'urn:pendopo:base' }).parse(readFileSync(path, 'utf8'));
  return factory.dataset(quads);
}

const [shapesPath, ...dataPaths] = process.argv.slice(2);
if (!shapesPath || dataPaths.length === 0) {
  console.error('usage: node validate.mjs SHAPES.ttl DATA.ttl [DATA.nt ...]');
  process.exit(2);
}
const shapes = load(shapesPath);
const data = factory.dataset();
for (const p of dataPaths)
  for (const q of load(p))
    data.add(q);

const validator = new SHACLValidator(shapes, { factory });
const report = await validator.validate(data);
const results = report.results.map((r) => ({
  severity: r.severity ? r.severity.value.replace('http://www.w3.org/ns/shacl#', '') : null,
  focusNode: r.focusNode ? r.focusNode.value : null,
  path: r.path ? r.path.value : null,
  message: r.message.map((m) => m.value),
  shape: r.sourceShape ? r.sourceShape.value : null,
  constraint: r.sourceConstraintComponent ? r.sourceConstraintComponent.value : null,
}));
const violations = results.filter((r) => r.severity === 'Violation').length;
console.log(JSON.stringify({ conforms: report.conforms, triples: data.size, violations, results }));
process.exit(violations === 0 ? 0 : 1);
