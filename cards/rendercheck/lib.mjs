// lib.mjs parses a golden card with the official Adaptive Cards
// renderer library (npm adaptivecards, pinned in package.json) and fails on
// any warning:
//
//   - parse events logged by the SerializationContext (unknown element or
//     action types, properties not supported in the card's version,
//     invalid values),
//   - validation events of AdaptiveCard.validateProperties() (missing
//     required properties, duplicate ids, bad targets),
//   - properties dropped or changed on a round trip (parse, then toJSON
//     with the same target version): a property the renderer does not
//     keep is one it does not understand.
//
// The only property allowed to drop is the card root's "msteams" (the
// Teams host extension {"width":"Full"}, which the library does not model).
// Thumbnail and hero previews of message-extension attachments are checked
// for their content type only (they are not Adaptive Cards).
//
// No DOM is needed: parse, validation and serialization run in plain Node.

import { createRequire } from "node:module";
import { readFileSync } from "node:fs";

const require = createRequire(import.meta.url);
// The package's ESM build (lib/) uses extensionless imports that Node cannot
// resolve; the UMD bundle is the same code.
const AC = require("adaptivecards/dist/adaptivecards.js");

const ADAPTIVE = "application/vnd.microsoft.card.adaptive";
const PREVIEWS = new Set(["application/vnd.microsoft.card.thumbnail", "application/vnd.microsoft.card.hero"]);

function versionOf(card) {
  const v = AC.Versions["v" + String(card.version ?? "").replace(".", "_")];
  if (!v) {
    throw new Error(`unsupported card version ${JSON.stringify(card.version)}`);
  }
  return v;
}

// diff reports properties of want missing from or different in got.
const ENUM = /^[A-Za-z]+$/;

function diff(want, got, where, out, fallbacks) {
  if (Array.isArray(want)) {
    if (!Array.isArray(got)) {
      out.push(`${where}: array became ${JSON.stringify(got)}`);
      return;
    }
    if (want.length !== got.length) {
      out.push(`${where}: ${want.length} items became ${got.length}`);
    }
    want.forEach((w, i) => diff(w, got[i], `${where}[${i}]`, out, fallbacks));
    return;
  }
  if (want !== null && typeof want === "object") {
    if (got === null || typeof got !== "object") {
      out.push(`${where}: object became ${JSON.stringify(got)}`);
      return;
    }
    for (const k of Object.keys(want)) {
      if (where === "$" && k === "msteams") continue;
      if (k === "fallback" && want[k] !== null && typeof want[k] === "object") {
        // The library consumes a fallback at parse time and never writes
        // it back; it is checked on its own.
        fallbacks.push({ where: `${where}.${k}`, json: want[k] });
        continue;
      }
      if (where === "$.refresh" && k === "userIds" && Array.isArray(want[k]) && want[k].length === 0) {
        // The library writes no empty arrays; checkCard verifies it read it.
        continue;
      }
      if (!(k in got)) {
        out.push(`${where}.${k}: dropped (${JSON.stringify(want[k]).slice(0, 80)})`);
        continue;
      }
      diff(want[k], got[k], `${where}.${k}`, out, fallbacks);
    }
    return;
  }
  if (typeof want === "string" && typeof got === "string" && ENUM.test(want) && want.toLowerCase() === got.toLowerCase()) {
    // Enum values are case-insensitive; the library writes its own casing.
    return;
  }
  if (want !== got) {
    out.push(`${where}: ${JSON.stringify(want)} became ${JSON.stringify(got)}`);
  }
}

export function checkCard(json) {
  const problems = [];
  const version = versionOf(json);
  const ctx = new AC.SerializationContext(version);
  const card = new AC.AdaptiveCard();
  card.parse(json, ctx);
  for (let i = 0; i < ctx.eventCount; i++) {
    const e = ctx.getEventAt(i);
    problems.push(`parse: ${AC.ValidationEvent[e.event] ?? e.event}: ${e.message}`);
  }
  const results = card.validateProperties();
  for (const e of results.validationEvents) {
    problems.push(`validate: ${AC.ValidationEvent[e.event] ?? e.event}: ${e.message}`);
  }
  const back = card.toJSON(new AC.SerializationContext(version));
  const fallbacks = [];
  diff(json, back, "$", problems, fallbacks);
  if (json.refresh?.userIds !== undefined && !Array.isArray(card.refresh?.userIds)) {
    problems.push("$.refresh.userIds: not read by the library");
  }
  for (const fb of fallbacks) {
    const fctx = new AC.SerializationContext(version);
    const action = fctx.parseAction(card, fb.json, [], false);
    for (let i = 0; i < fctx.eventCount; i++) {
      const e = fctx.getEventAt(i);
      problems.push(`${fb.where}: parse: ${AC.ValidationEvent[e.event] ?? e.event}: ${e.message}`);
    }
    if (!action) {
      problems.push(`${fb.where}: not an action`);
      continue;
    }
    diff(fb.json, action.toJSON(new AC.SerializationContext(version)), fb.where, problems, []);
  }
  if (json.msteams === undefined || json.msteams.width !== "Full") {
    problems.push(`$.msteams: want {"width":"Full"}, got ${JSON.stringify(json.msteams)}`);
  }
  return problems;
}

export function checkFile(file) {
  const doc = JSON.parse(readFileSync(file, "utf8"));
  if (doc.contentType !== undefined) {
    const problems = [];
    if (doc.contentType !== ADAPTIVE) {
      problems.push(`contentType ${doc.contentType}`);
    }
    if (doc.preview !== undefined && !PREVIEWS.has(doc.preview.contentType)) {
      problems.push(`preview contentType ${doc.preview.contentType}`);
    }
    return problems.concat(checkCard(doc.content));
  }
  return checkCard(doc);
}


export const libraryVersion = AC.Versions.latest.toString();
