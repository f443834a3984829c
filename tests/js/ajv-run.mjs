// Reads conformance files (the format of the JSON-Schema-Test-Suite) named on the command line,
// validates every case with ajv 8 for draft 2020-12, once with format assertion (ajv-formats)
// and once without (ajv's own default: format is an annotation), and prints one JSON array:
// [{"file", "group", "description", "expected", "formats", "annotation"}].
import fs from "node:fs";
import path from "node:path";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

function validators(formats) {
  const ajv = new Ajv2020({ allErrors: false, allowUnionTypes: true, validateFormats: formats });
  if (formats) addFormats(ajv);
  const compiled = new Map();
  return (schema) => {
    const key = JSON.stringify(schema);
    if (!compiled.has(key)) compiled.set(key, ajv.compile(schema));
    return compiled.get(key);
  };
}

const withFormats = validators(true);
const annotationOnly = validators(false);
const results = [];
for (const file of process.argv.slice(2)) {
  for (const group of JSON.parse(fs.readFileSync(file, "utf8"))) {
    const strict = withFormats(group.schema);
    const loose = annotationOnly(group.schema);
    for (const test of group.tests) {
      results.push({
        file: path.basename(file),
        group: group.description,
        description: test.description,
        expected: test.valid,
        formats: strict(test.data),
        annotation: loose(test.data),
      });
    }
  }
}
process.stdout.write(JSON.stringify(results));
