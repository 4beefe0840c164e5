// SPDX-License-Identifier: MIT
// Validate SARIF logs against the official SARIF 2.1.0 JSON schema (draft-04),
// as shipped in an npm package, with ajv (unicodeRegExp off: one of the
// schema's patterns is not valid under the u flag). Usage: node validate-sarif.js
// SCHEMA LOG... Exit 1 and the schema errors when a log does not validate.
'use strict';
const fs = require('fs');
const Ajv = require('ajv-draft-04');
const addFormats = require('ajv-formats');

const [schemaPath, ...logs] = process.argv.slice(2);
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv);
const validate = ajv.compile(JSON.parse(fs.readFileSync(schemaPath, 'utf8')));
let failed = 0;
for (const path of logs) {
	const log = JSON.parse(fs.readFileSync(path, 'utf8'));
	if (validate(log)) {
		console.log(`valid: ${path}`);
		continue;
	}
	failed = 1;
	console.log(`INVALID: ${path}`);
	for (const e of validate.errors.slice(0, 20))
		console.log(`  ${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
}
process.exit(failed);
