// check.test.mjs proves that the render check fails on what it must catch
// and passes a minimal good card. Run: node --test cards/rendercheck/
import test from "node:test";
import assert from "node:assert/strict";
import { checkCard } from "./lib.mjs";

const good = () => ({
  type: "AdaptiveCard",
  version: "1.5",
  msteams: { width: "Full" },
  body: [{ type: "TextBlock", text: "Plumm", wrap: true, weight: "bolder" }],
  actions: [
    {
      type: "Action.Execute",
      verb: "app",
      data: { verb: "app", slug: "plumm-health-ltd" },
      title: "Open",
      fallback: { type: "Action.Submit", data: { verb: "app" }, title: "Open" },
    },
  ],
});

test("a good card passes", () => {
  assert.deepEqual(checkCard(good()), []);
});

const bad = [
  ["unknown element", (c) => c.body.push({ type: "Carousel2", items: [] }), /UnknownElementType|dropped|items became/],
  ["unknown property", (c) => (c.body[0].colour = "good"), /colour: dropped/],
  ["invalid enum value", (c) => (c.body[0].weight = "heavy"), /weight/],
  ["Table in a 1.3 card", (c) => {
    c.version = "1.3";
    c.actions = [];
    c.body.push({ type: "Table", columns: [{ width: 1 }], rows: [] });
  }, /Table|version/i],
  ["Action.Execute in a 1.3 card", (c) => (c.version = "1.3"), /Execute|version|dropped/i],
  ["missing msteams width", (c) => delete c.msteams, /msteams/],
  ["bad fallback", (c) => (c.actions[0].fallback = { type: "Action.Nope" }), /fallback/],
  ["duplicate ids", (c) => c.body.push({ type: "TextBlock", text: "a", id: "x" }, { type: "TextBlock", text: "b", id: "x" }), /Duplicate/i],
];

for (const [name, mutate, want] of bad) {
  test(`fails on ${name}`, () => {
    const c = good();
    mutate(c);
    const problems = checkCard(c);
    assert.ok(problems.length > 0, "no problem reported");
    assert.match(problems.join("\n"), want);
  });
}
