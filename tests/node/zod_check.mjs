// Runs every value of one JSON file through the emitted Zod schemas, in one Node process.
//
// Usage: node zod_check.mjs CHECKS.json. The file holds `{ modules: {name: path}, checks: [
// {module, schema, value}] }`; values are tagged JSON (see tests/test_zod.py `encode`), decoded
// here into JavaScript values: bigints, ArrayBuffers, NaN and -0, commit placeholders, and
// objects built with Object.fromEntries, so a "__proto__" key is an own property. Prints one
// JSON line: for each check, whether safeParse succeeded and the first issue's code and message.
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { CommitTsPlaceholder } from "convex/values";

const FLOATS = { nan: NaN, inf: Infinity, "-inf": -Infinity, "-0": -0 };

function decode(value) {
  if (Array.isArray(value)) return value.map(decode);
  if (value === null || typeof value !== "object") return value;
  switch (value.$) {
    case "object":
      return Object.fromEntries(value.v.map(([key, item]) => [key, decode(item)]));
    case "bigint":
      return BigInt(value.v);
    case "float":
      return value.v in FLOATS ? FLOATS[value.v] : Number(value.v);
    case "bytes":
      return new Uint8Array(Buffer.from(value.v, "base64")).buffer;
    case "commitTs":
      return new CommitTsPlaceholder();
    default:
      throw new Error(`unknown tag ${JSON.stringify(value.$)}`);
  }
}

const { modules, checks } = JSON.parse(readFileSync(process.argv[2], "utf8"));
const loaded = {};
for (const [name, path] of Object.entries(modules)) {
  loaded[name] = await import(pathToFileURL(path).href);
}
const results = checks.map(({ module, schema, value }) => {
  const zodSchema = loaded[module][schema];
  if (zodSchema === undefined) throw new Error(`${module} exports no ${schema}`);
  const result = zodSchema.safeParse(decode(value));
  if (result.success) return { ok: true };
  const [issue] = result.error.issues;
  return { ok: false, code: issue.code, path: issue.path.map(String), message: issue.message };
});
console.log(JSON.stringify(results));
